# Short if/else bodies of word arithmetic (compiled without a branch where
# the emitter can): both polarities, no else, conditional expressions,
# several outputs, locals updated in place, values below the condition.
import micropython


@micropython.viper
def crc32(buf, n: int) -> uint:
    b = ptr8(buf)
    crc = uint(0xFFFFFFFF)
    for i in range(n):
        crc ^= uint(b[i])
        for k in range(8):
            if crc & 1:
                crc = (crc >> 1) ^ uint(0xEDB88320)
            else:
                crc >>= 1
    return crc ^ uint(0xFFFFFFFF)


print(crc32(b"123456789", 9), crc32(b"", 0), crc32(bytearray(range(256)), 256))


@micropython.viper
def clamp(x: int, lo: int, hi: int) -> int:
    if x < lo:
        x = lo
    if not (x <= hi):
        x = hi
    return x


print([clamp(v, -3, 5) for v in (-10, -3, 0, 5, 6, 100)])


@micropython.viper
def pick(c: int, a: int, b: int) -> int:
    r = a * 2 if c else b - 1
    return r


print(pick(0, 10, 20), pick(1, 10, 20), pick(-7, 10, 20))


@micropython.viper
def swap_sort(a: int, b: int) -> int:
    lo = a
    hi = b
    if lo > hi:
        t = lo
        lo = hi
        hi = t
    return lo * 1000 + hi


print(swap_sort(3, 9), swap_sort(9, 3), swap_sort(4, 4))


@micropython.viper
def in_place(x: int, flag: int) -> int:
    y = x
    if flag:
        y = -y
        y = ~y
    else:
        y += 100
        y = y << 2
    return y


print(in_place(5, 1), in_place(5, 0), in_place(-8, 1), in_place(-8, 0))


@micropython.viper
def nested_expr(a: int, b: int) -> int:
    # A conditional expression inside an arithmetic expression: the values
    # pushed before the condition must survive it.
    return 1000 + (a if a > b else b) * 3 + 7


print(nested_expr(4, 9), nested_expr(9, 4), nested_expr(-2, -5))


@micropython.viper
def max_loop(buf, n: int) -> int:
    p = ptr8(buf)
    m = 0
    best = 0
    for i in range(n):
        v = p[i]
        if v > m:
            m = v
            best = i
    return best * 1000 + m


print(max_loop(bytearray([3, 9, 2, 9, 11, 0, 11]), 7), max_loop(bytearray(5), 5))


@micropython.viper
def uint_select(x: uint) -> uint:
    if x > uint(0x80000000):
        x = x - uint(0x80000000)
    else:
        x = x + uint(1)
    return x


print(uint_select(5), uint_select(0x90000000), uint_select(0x80000000))
