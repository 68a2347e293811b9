# StopIteration raised by __next__ keeps its value through next() and wrappers
class Count:
    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n > 2:
            raise StopIteration("done", self.n)
        return self.n


for make in (lambda: Count(), lambda: map(str, Count()), lambda: enumerate(Count()), lambda: zip(Count())):
    it = make()
    try:
        while True:
            print(next(it))
    except StopIteration as e:
        print("stop", e.args)
print(next(Count(), "x"), list(Count()))


# StopAsyncIteration ends an async for
class Ticks:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        return self.n


async def main():
    async for t in Ticks(3):
        print("tick", t)
    return "end"


c = main()
try:
    c.send(None)
except StopIteration as e:
    print(e.args)
print(issubclass(StopAsyncIteration, Exception), StopAsyncIteration is StopIteration)


# dir() probes attributes; __dir__ answers for instances
class P:
    zeta_attr = 1

    def omega_meth(self):
        pass


p = P()
p.alpha_inst = 2
names = dir(p)
print("zeta_attr" in names, "omega_meth" in names, "alpha_inst" in names, "nope" in names)
print("append" in dir([]), "zeta_attr" in dir(P))


class D:
    def __dir__(self):
        return ["only"]


print(dir(D()), "__dir__" in dir(D))


def f():
    local_x = 1
    return dir()


# dir() in a function lists the module's globals (in dict order: sort them;
# `__file__` exists only when run from source).
print(sorted(n for n in f() if not n.startswith("__")))
