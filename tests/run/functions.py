def f(a, b=2, *args, c=3, **kw):
    return (a, b, args, c, sorted(kw.items()))
print(f(1))
print(f(1, 5, 6, 7, c=8, d=9))
print(f(*[1, 2, 3], **{"c": 4, "z": 5}))
def g(x, *, k):
    return x + k
print(g(1, k=2))
try:
    g(1)
except TypeError as e:
    print(e)
try:
    f()
except TypeError as e:
    print(e)
try:
    f(1, a=2)
except TypeError as e:
    print(e)
lam = lambda x, y=1: x * y
print(lam(4), lam(4, 3), (lambda: 7)())
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(12))
print(f.__name__, callable(f), callable(1))
