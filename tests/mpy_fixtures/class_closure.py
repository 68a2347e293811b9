def f():
    x = 1
    class A:
        y = x
    return A
