# binary operators whose right operand is a small-int constant: the inline
# path (left operand a small int) and the general path (any other left
# operand, or a result beyond the small ints)
import micropython


@micropython.native
def arith(x):
    return (x + 1, x - 1, x + 1000000, x - -7, x + 0)


@micropython.native
def compare(x):
    out = []
    if x < 2:
        out.append("lt")
    if x >= -3:
        out.append("ge")
    if x == 5:
        out.append("eq")
    if x != 5:
        out.append("ne")
    if not x > 0:
        out.append("not gt")
    out.append(x <= 1073741823)
    out.append(x > -1073741824)
    return out


for v in (0, 1, 2, 5, -3, -4, 1073741823, -1073741824, 1073741822):
    print(v, arith(v), compare(v))
for v in (2.5, -10.0, True, 10**20, -(10**20)):
    print(v, arith(v), compare(v))
try:
    arith("s")
except TypeError as e:
    print("TypeError")
try:
    compare(None)
except TypeError as e:
    print("TypeError")


@micropython.native
def count_down(n):
    steps = 0
    while n > 0:
        n = n - 1
        steps = steps + 1
    return steps


print(count_down(10), count_down(0), count_down(-5), count_down(3.5))
