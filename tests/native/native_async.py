# async def, await and async with/for under @native
import micropython


class Awaitable:
    def __iter__(self):
        yield "tick"
        return 42

    __await__ = __iter__


class ACM:
    async def __aenter__(self):
        print("aenter")
        return self

    async def __aexit__(self, *a):
        print("aexit")


@micropython.native
async def coro():
    v = await Awaitable()
    async with ACM():
        print("inside", v)
    return v + 1


c = coro()
print(c.send(None))
try:
    c.send(None)
except StopIteration as e:
    print("result", e.args[0])


@micropython.native
async def early(flag):
    async with ACM():
        if flag:
            return "early"
        raise ValueError("inside")


for flag in (True, False):
    c = early(flag)
    try:
        c.send(None)
    except StopIteration as e:
        print("returned", e.args[0])
    except ValueError as e:
        print("raised", e)
