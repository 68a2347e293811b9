from micropython import const
_A = const(5)
B = const(_A * 2 + 1)
"""doc"""
x = __debug__
def f(*a, **k):
    f(*a, 1, *k, x=1, **k)
    o.m(1, *a)
    for i in range(1, 10, -2):
        pass
    for j in range(_A):
        try:
            continue
        finally:
            break
    with cm():
        return 5
    if (n := len(a)) > 10:
        print(n, B, _A)
    print(1 < n < 3 < 4)
    [x for x in a for y in x if y if x]
    (x + 1 for x in a)
    {x: y for x, y in k}
    return [1, 2, (3, 4)], (1, (2, 3)), -(1), not 1, 1 if x else 2
async def g(x):
    async with x as y, z:
        await y
    async for i in x:
        print(i)
    else:
        pass
class C:
    def __init__(self):
        super().__init__()
        self.a = 1
        self.b += 2
        self.c[1] -= 3
    def m():
        return __class__
def deco(x):
    @a.b(x)
    @c
    def q(): "doc"
    return q
y = 2 ** 100
z = 7 // 2, 7 % -3, 1 / 4, 3 << 4, ~5, 2 ** -1, 1.5 * 2
w = 'a' 'b'
def clo():
    a = 1
    b = 2
    def i1():
        def i2():
            return a + b
        return i2
    return lambda: a
