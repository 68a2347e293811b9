def f():
    def g():
        nonlocal y
    return g
