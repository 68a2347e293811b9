# throw() and close() reach the iterator a generator delegates to
def leaf():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("leaf got", repr(e))
        yield 10
    except GeneratorExit:
        print("leaf closing")
        raise
    return "leaf done"

def outer():
    r = yield from leaf()
    print("outer got", r)
    yield 99

g = outer()
print(next(g))
print(g.throw(ValueError("boom")))
print(next(g))

g = outer()
next(g)
g.close()

class Duck:
    def __iter__(self):
        return self
    def __next__(self):
        return 5
    def throw(self, x):
        print("duck throw", x)
        return 6
    def close(self):
        print("duck close")

def over_duck():
    yield from Duck()

g = over_duck()
print(next(g))
print(g.throw(123))
g.close()

class Stopper:
    def __iter__(self):
        return self
    def __next__(self):
        raise StopIteration(7)

def over_stopper():
    r = yield from Stopper()
    yield r
print(list(over_stopper()))

def bad():
    yield 1
    raise StopIteration
try:
    list(bad())
except RuntimeError as e:
    print("RuntimeError", e)

def g2():
    try:
        yield
    except Exception as e:
        print(type(e).__name__, e.args)
        yield
x = g2()
next(x)
x.throw(ValueError, 42)

class A:
    def f(self):
        pass
a = A()
print(a.f == a.f, a.f == A().f, a.f != a.f, hash(a.f) == hash(a.f))
print(a.f.__name__)
