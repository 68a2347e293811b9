from micropython import const
N = const(4)
def f():
    return N + 1
