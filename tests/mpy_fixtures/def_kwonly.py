def f(a, *, b, c=5):
    return a + b + c
