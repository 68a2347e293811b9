def f():
    a = b = 0
    def g():
        nonlocal a, b
        a, b = b, a
    return g
