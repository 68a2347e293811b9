# Viper `//` and `%` by constants (inline where the machine divides) and by
# variables (the runtime's helper), with Python's rounding toward -inf.
import micropython


@micropython.viper
def by_constants(x: int) -> int:
    a = x // 1 + x % 1
    b = x // 3 * 10 + x % 3
    c = x // 7 * 100 + x % 7
    d = x // 255 + x % 255
    e = x // 1000 + (x % 1000) * 3
    f = x // 1048576 + x % 1048576
    return a + b + c + d + e + f


@micropython.viper
def by_variables(x: int, y: int) -> int:
    return (x // y) * 1000 + x % y


@micropython.viper
def fletcher(buf, n: int) -> int:
    b = ptr8(buf)
    s1 = 0
    s2 = 0
    for i in range(n):
        s1 = (s1 + b[i]) % 255
        s2 = (s2 + s1) % 255
    return (s2 << 8) | s1


@micropython.viper
def digits(x: int) -> int:
    # Deep: the divisions' operands are cached values among others.
    t = 0
    while x > 0:
        t = t * 10 + (x % 10) * ((x // 10) % 3 + 1)
        x //= 10
    return t


vals = [0, 1, -1, 2, -2, 3, -3, 6, -6, 7, -7, 254, 255, 256, -255, -256, 999, 1000, -1000, -1001,
        1048575, 1048576, -1048576, -1048577, 16777215, -16777216]
print([by_constants(v) for v in vals])
print([by_variables(v, w) for v in (17, -17, 0, 100) for w in (1, -1, 5, -5, 7, 300)])
print(fletcher(bytearray((i * 7 + 3) & 255 for i in range(3000)), 3000))
print(digits(987654321), digits(100000007))
