# Generators driven by `for` loops (resumed in place by the loop's frame):
# exceptions in either direction, re-entrance, breaking out and resuming.


def count(n):
    for i in range(n):
        yield i


# Nested pipelines and breaking out, then resuming with next().
def squares(it):
    for x in it:
        yield x * x


g = squares(count(10))
for v in g:
    if v > 10:
        break
print("broke at", v, "then", next(g), list(g))


# An exception raised by the generator reaches the loop's handler.
def failing():
    yield 1
    raise ValueError("inside")


try:
    for v in failing():
        print("got", v)
except ValueError as e:
    print("caught", e)


# StopIteration escaping a generator body becomes RuntimeError.
def stopper():
    yield 1
    raise StopIteration


try:
    for v in stopper():
        print("got", v)
except RuntimeError as e:
    print("RuntimeError", e)


# A generator iterating itself is already executing.
def selfish():
    yield 1
    for v in me:
        yield v


me = selfish()
try:
    for v in me:
        print("selfish", v)
except ValueError as e:
    print("ValueError", e)


# try/finally inside the generator, loop body raising.
def guarded():
    try:
        yield 1
        yield 2
    finally:
        print("guarded finally")


try:
    for v in guarded():
        print("guarded", v)
        raise KeyError("body")
except KeyError as e:
    print("KeyError", e)


# The generator handles an exception raised inside it and goes on.
def recovering():
    for i in range(3):
        try:
            if i == 1:
                raise IndexError(i)
            yield i
        except IndexError as e:
            yield "handled %s" % e


print(list(recovering()))
for v in recovering():
    print("rec", v)


# yield from inside a generator driven by a for loop.
def inner():
    yield "a"
    yield "b"
    return "ret"


def outer():
    r = yield from inner()
    yield r
    yield from count(2)


for v in outer():
    print("outer", v)


# A generator finished by a loop: further next() raises StopIteration.
g = count(2)
for v in g:
    pass
try:
    next(g)
except StopIteration:
    print("exhausted")


# pend_throw before the loop resumes the generator.
g = count(5)
print(next(g))
g.pend_throw(OSError("pended"))
try:
    for v in g:
        print("after pend", v)
except OSError as e:
    print("OSError", e)


# Deep chains of generators.
def chain(n):
    if n == 0:
        yield from range(3)
    else:
        for v in chain(n - 1):
            yield v + 1


print(list(chain(20)))
total = 0
for v in chain(15):
    total += v
print(total)


# A traceback through a generator frame.
def bad():
    yield 1
    1 / 0


def run():
    for v in bad():
        pass


try:
    run()
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
