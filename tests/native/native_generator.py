# native generators: yield, send, return value, yield from, close
import micropython


@micropython.native
def gen(n):
    for i in range(n):
        got = yield i
        if got is not None:
            print("got", got)
    return "done"


g = gen(3)
print(next(g))
print(g.send("a"))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("stop", e.args)


@micropython.native
def deleg():
    r = yield from gen(2)
    print("inner returned", r)
    yield 99


print(list(deleg()))


@micropython.native
def cleanup():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")


c = cleanup()
print(next(c))
c.close()
print(list(x * x for x in range(5)))
