# floats: literals, repr, mixed arithmetic, division semantics, rounding
def t(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

for x in [1.0, 0.1, 1e16, 1.5e-7, 3.141592653589793, 1 / 3, 2 / 3, 1e15, 123456789012345678.0,
          1e-4, 1e-5, 0.1 + 0.2, 1e100, -0.0, 5e-324, 1.7976931348623157e308, 100.0, 12345.678, 1.1 * 3,
          2.5e-10, 0.5, -2.75]:
    print(repr(x), str(x))
print(float('inf'), float('-inf'), float('nan'), float('  1.5e3 '), float('.5'), float('5.'), float(7), float(True))
print(float(2 ** 100), float('1e500'), 1e300 * 1e10, -1e300 * 1e10, float(), float(1.25))
print(1 + 2.5, 2.5 + 1, 3 * 0.5, 7 - 0.5, 10 / 4, 10 / 5, 2 ** 0.5, 2.0 ** 3, (-8) ** 2.0)
print(7.0 // 2, -7.0 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, -7 // 2.0, 7 % 2.5)
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(7, 2.5), divmod(-0.0, 1.0))
print(1.0 == 1, 1 == 1.0, 2 ** 53 == 2.0 ** 53, 0.5 < 1, 1 < 1.5, 2 ** 100 < 1e40, 1e16 == 10 ** 16)
print(hash(2.0) == hash(2), hash(0.0), {1.0: 'a'}[1], {1: 'b'}[1.0])
print(int(2.7), int(-2.7), int(1e20), int(-1e30), abs(-2.5), -(2.5), +1.5, not 0.0, bool(0.1))
print(round(2.5), round(3.5), round(-0.5), round(2.675, 2), round(1234.5, -1), round(0.125, 2), round(-1.5))
print(type(round(2.5)), type(round(2.5, 1)), round(1e20))
print(float('nan') == float('nan'), float('inf') > 1e308, -float('inf') < -1e308)
x = 0.0
for i in range(10):
    x += 0.1
print(x, x == 1.0, sum([0.5, 0.25, 0.125]), max(1, 2.5), min(-1.5, 3))
print(isinstance(1.5, float), type(1.5), type(1.5).__name__, float.__name__)
t(lambda: 1.0 / 0)
t(lambda: 1.0 // 0.0)
t(lambda: 1.0 % 0.0)
t(lambda: 0.0 ** -1)
t(lambda: divmod(1.0, 0))
t(lambda: float('abc'))
t(lambda: float(''))
t(lambda: float('1e'))
t(lambda: int(float('inf')))
t(lambda: int(float('nan')))
t(lambda: 'a' + 1.0)
t(lambda: 1.0 + 'a')
t(lambda: [1][1.0])
t(lambda: round(1.5, None))
t(lambda: float([]))
