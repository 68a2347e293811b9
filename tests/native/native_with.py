# with statements in native code, normal exit, exception, return and break
import micropython


class CM:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, t, v, tb):
        print("exit", self.name, t)
        return self.swallow


@micropython.native
def f():
    with CM("a") as c:
        print("body", c.name)
    with CM("b", True):
        raise ValueError
    for i in range(3):
        with CM("loop"):
            if i == 1:
                break
    with CM("ret"):
        return "returned"


print(f())


@micropython.native
def f3():
    return 1 / 0


try:
    with CM("outer"):
        f3()
except ZeroDivisionError:
    print("zde")
