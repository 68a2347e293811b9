# Generators suspended between resumes in every way: many at once (more than
# the VM keeps as they are), resumed by for loops, next(), send(), throw(),
# close() and pend_throw() (MicroPython's), collected while suspended, and
# delegating with yield from.
import gc


def counter(name, n):
    for i in range(n):
        got = yield (name, i)
        if got is not None:
            print(name, "got", got)
    return name + " done"


# Eight generators advanced in turn: each is suspended while the others run.
gens = [counter("g%d" % k, 3) for k in range(8)]
for step in range(3):
    print([next(g)[1] for g in gens])
for g in gens:
    try:
        next(g)
    except StopIteration as e:
        print("stop", e.value)


# Nested pipelines resumed by for loops, with collections in the middle.
def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def squares(it):
    for x in it:
        if x % 5 == 0:
            gc.collect()
        yield x * x


def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


print(sum(evens(squares(numbers(40)))))
print(list(squares(numbers(12))))

# send(), throw() and close() after the generator was last resumed by a loop.
g = counter("s", 5)
for v in g:
    print(v)
    if v[1] == 1:
        break
print(g.send("hello"))
try:
    g.throw(ValueError("boom"))
except ValueError as e:
    print("ValueError", e)
try:
    next(g)
except StopIteration:
    print("finished after throw")


def catcher():
    while True:
        try:
            x = yield
            print("caught nothing", x)
        except KeyError as e:
            print("caught", repr(e))
        except GeneratorExit:
            print("closing")
            return


c = catcher()
next(c)
for k in range(2):
    c.send(k)
c.throw(KeyError("k"))
c.send("after")
c.close()
print("closed")

# pend_throw on a suspended generator (MicroPython's extension).
p = counter("p", 4)
print(next(p))
if hasattr(p, "pend_throw"):
    p.pend_throw(OSError("pending"))
    try:
        next(p)
    except OSError as e:
        print("OSError", e)
else:
    print("OSError pending")


# yield from a suspended delegate, with a throw passed down to it.
def outer():
    r = yield from counter("inner", 3)
    print("inner returned", r)
    yield "outer end"


o = outer()
print(next(o))
print(o.send(None))
print(next(o), next(o))

o2 = outer()
next(o2)
try:
    o2.throw(IndexError("down"))
except IndexError as e:
    print("IndexError", e)


# A suspended generator dropped and collected: what it referenced goes too.
class Tracked:
    def __init__(self, n):
        self.n = n


def holder():
    t = Tracked(7)
    yield t.n
    yield t.n + 1


h = holder()
print(next(h))
del h
gc.collect()
print("collected")

# Many suspended generators at once, resumed in reverse order.
many = [numbers(3) for _ in range(20)]
for g in many:
    next(g)
print([next(g) for g in reversed(many)])
print(sum(sum(g) for g in many))
