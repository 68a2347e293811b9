# Viper code whose values stay in registers between operations: values
# live across branches and loops, expressions deeper than the registers,
# stack shuffles of native values, exceptions after cached values.
import micropython


@micropython.viper
def deep(a: int, b: int) -> int:
    # Right-nested: ten values live at once.
    return a + (b * (a - (b + (a * (b - (a + (b * (a - (b + 1)))))))))


@micropython.viper
def across_branch(a: int, b: int, c: int) -> int:
    # `a * 3` waits on the stack while the conditional expression branches.
    return a * 3 + (b if c else b << 4) - (c and a or b)


@micropython.viper
def swaps(n: int) -> int:
    a = 0
    b = 1
    for i in range(n):
        a, b = b, a + b
    x = 1
    y = 2
    z = 3
    x, y, z = z, x, y
    return a * 1000 + x * 100 + y * 10 + z


@micropython.viper
def aug_subscr(buf, n: int) -> int:
    p = ptr8(buf)
    q = ptr32(buf)
    for i in range(n):
        p[i] += i * 3
        p[i] ^= 0x55
    q[1] += 0x01020304
    s = 0
    for i in range(n):
        s = (s * 31 + p[i]) & 0xFFFFFF
    return s


@micropython.viper
def loops(n: int) -> int:
    t = 0
    for i in range(n, 0, -2):
        for j in range(i):
            if j & 1:
                continue
            t += (i * j) ^ (t >> 3)
            if t > 100000:
                break
    k = 0
    while k < n:
        t = t - k if k % 3 else t + (k << 2)
        k += 1
    return t


def raiser(x):
    if x > 2:
        raise ValueError(x)
    return x * 10


@micropython.viper
def calls_inside(a: int, b: int) -> int:
    # A cached value below a call that may raise.
    return a * 7 + int(raiser(b)) - (a ^ b)


@micropython.viper
def handler(a: int, b: int) -> int:
    # Cached values when the exception leaves the expression.
    t = a + 1
    try:
        t = t * 2 + int(raiser(b)) + (a % 7)
    except ValueError:
        t = -t - (a << 2)
    return t


@micropython.viper
def compares(a: int, b: uint) -> int:
    r = 0
    if a < 5:
        r |= 1
    if a >= -3:
        r |= 2
    if b > uint(7):
        r |= 4
    if b <= uint(7):
        r |= 8
    if a != 0 and a == a:
        r |= 16
    return r


@micropython.viper
def bits(x: int) -> int:
    # Bit tests feeding branches (`test`/`tst` and a jump).
    r = 0
    if x & 1:
        r += 1
    if not (x & 0x100):
        r += 2
    if x & -16:
        r += 4
    if (x & 0x3FFFFFF0) == 0:
        r += 8
    crc = uint(x) & uint(0xFFFF)
    for k in range(8):
        if crc & 1:
            crc = (crc >> 1) ^ uint(0xA001)
        else:
            crc >>= 1
    return r * 100000 + int(crc)


print(deep(3, 4), deep(-5, 7))
print([bits(v) for v in (0, 1, 15, 16, 255, 256, 257, -1, -256, 0x12345)])
print(across_branch(5, 6, 0), across_branch(5, 6, 1), across_branch(0, 9, 2))
print(swaps(10), swaps(1))
b = bytearray(16)
print(aug_subscr(b, 16), list(b))
print(loops(10), loops(37))
print(calls_inside(4, 2))
try:
    calls_inside(4, 3)
except ValueError as e:
    print("ValueError", e)
print(handler(17, 1), handler(17, 5), handler(-17, 2))
print([compares(a, b) for a in (-5, 0, 4, 9) for b in (0, 7, 8)])
