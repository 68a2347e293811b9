x = 0
def f():
    return x + 1
