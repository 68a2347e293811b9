# @native functions take every kind of argument
import micropython


@micropython.native
def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))


print(f(1, c=3))
print(f(1, 5, 6, 7, c=8, d=9, e=10, g=11))
print(f(*[1, 2, 3], **{"c": 4, "z": 5}))
try:
    f(1)
except TypeError as e:
    print("TypeError")
