# sequence unpacking, star targets and swaps in native code
import micropython


@micropython.native
def f(seq):
    a, b = 1, 2
    a, b = b, a
    x, *mid, y = seq
    (p, q), r = (3, 4), 5
    return a, b, x, mid, y, p, q, r


print(f(range(6)))
try:
    f([1])
except ValueError as e:
    print("ValueError")
