class A:
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x
    def __repr__(self):
        return "A(%d)" % self.x
class B(A):
    def get(self):
        return super().get() * 10
b = B(4)
print(b.get(), b, isinstance(b, A), type(b).__name__)
try:
    raise ValueError("bad")
except ValueError as e:
    print("caught", e)
finally:
    print("fin")
def g(n):
    for i in range(n):
        yield i * i
print(list(g(5)), sum(g(4)))
def outer():
    c = 0
    def inc():
        nonlocal c
        c += 1
        return c
    inc(); inc()
    return inc()
print(outer())
for i in range(10):
    try:
        if i == 3:
            break
    finally:
        print("f", i)
class Ctx:
    def __enter__(self):
        print("enter"); return self
    def __exit__(self, a, b, c):
        print("exit", a)
        return True
with Ctx() as c:
    raise KeyError(1)
print("after with")
d = {}
for w in "a b a c b a".split():
    d[w] = d.get(w, 0) + 1
print(sorted(d.items()), "-".join(["x", "y"]), "{} {:>4}".format(1, 2))
def r(n):
    return r(n + 1)
try:
    r(0)
except RuntimeError as e:
    print(e)
def k():
    raise KeyError('z')
k()
