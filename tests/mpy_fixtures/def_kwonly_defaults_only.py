def f(*, b=1):
    return b
