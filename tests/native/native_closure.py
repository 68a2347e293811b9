# closures: native functions capture, modify and are captured
import micropython


@micropython.native
def counter(start):
    n = start

    def inc(step=1):
        nonlocal n
        n += step
        return n

    return inc


c = counter(10)
print(c(), c(5), c())


def outer():
    x = []

    @micropython.native
    def add(v):
        x.append(v)
        return len(x)

    add(1)
    add(2)
    return x


print(outer())


@micropython.native
def make_adders(n):
    return [lambda v, i=i: v + i for i in range(n)]


print([f(100) for f in make_adders(4)])
