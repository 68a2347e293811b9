# Viper `//` and `%` by constants whose dividends are known non-negative
# (byte loads, masks, remainders) or only look so (locals that go negative,
# sums that wrap): the quotient and remainder keep Python's rounding.
import micropython


@micropython.viper
def masked(x: int) -> int:
    a = (x & 1023) % 7
    b = (x & 0xFFFF) // 10
    c = ((x & 255) + (x & 127)) % 100
    return a * 1000000 + b * 10 + c % 10


@micropython.viper
def going_negative(n: int) -> int:
    s = 5
    t = 0
    for i in range(n):
        s = s - 3
        t = t * 10 + s % 7 + s // 7
    return t


@micropython.viper
def growing(n: int) -> int:
    x = 1
    r = 0
    for i in range(n):
        x = x * 3 + 1
        r = r + x % 10 + x // 1000
    return r


@micropython.viper
def bytes_sum(buf, n: int) -> int:
    b = ptr8(buf)
    h = 0
    q = 0
    for i in range(n):
        h = (h * 31 + b[i]) % 65521
        q = q + (b[i] - 128) // 3 + (b[i] - 128) % 3
    return h * 1000 + q


@micropython.viper
def counter_mod(n: int) -> int:
    t = 0
    for i in range(n):
        t += (i % 3) * (i // 4)
    for j in range(-n, n):
        t += j % 5 - j // 5
    return t


print([masked(v) for v in (0, 1, -1, 1000, -1000, 65535, -65536, 123456789, -123456789)])
print(going_negative(6))
print(growing(15))
print(bytes_sum(bytearray((i * 37 + 5) & 255 for i in range(500)), 500))
print(counter_mod(50))
