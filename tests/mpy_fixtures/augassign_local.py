def f(x):
    y = 0
    y += x
    return y
