# running maxima and minima in viper loops (every spelling of the compare,
# signed and unsigned, near the ends of the word, checked against Python), sorts that carry an
# element from one iteration to the next, and stores overwritten or read
# back in the same iteration
import micropython
import sys


@micropython.viper
def running_max(buf, n: int) -> int:
    p = ptr8(buf)
    m = 0
    for i in range(n):
        if p[i] > m:
            m = p[i]
    return m


@micropython.viper
def running_min_signed(buf, n: int) -> int:
    # signed values around zero
    p = ptr8(buf)
    m = 1000
    for i in range(n):
        x = p[i] - 128
        m = x if x < m else m
    return m


@micropython.viper
def maxima_forms(buf, n: int, start: int, scale: int) -> int:
    # >=, <, <= and swapped arms: four running maxima in one loop, of
    # values of both signs near the ends of the word
    p = ptr16(buf)
    a = start
    b = start
    c = start
    d = start
    for i in range(n):
        x = (p[i] - 32768) * scale
        if x >= a:
            a = x
        if b < x:
            b = x
        if not (x <= c):
            c = x
        d = d if d >= x else x
    if a == b:
        if b == c:
            if c == d:
                return a
    return 12345


@micropython.viper
def extreme_lcg(n: int, seed: int, init: int, low: int) -> int:
    # a wrapping generator's smallest or largest word: the maximum and the
    # minimum must not wrap
    lo = init
    hi = -init
    x = seed
    for i in range(n):
        x = x * 69069 + 1
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    if low:
        return lo
    return hi


@micropython.viper
def unsigned_max(buf, n: int, off: int) -> uint:
    p = ptr32(buf)
    m = uint(0)
    for i in range(n):
        x = uint(p[i]) * uint(0x10001) + uint(off)
        if x > m:
            m = x
    return m


@micropython.viper
def mixed(buf, n: int) -> int:
    # a signed maximum and an unsigned one on the same value: not one kind
    p = ptr8(buf)
    m = -5
    for i in range(n):
        x = p[i] - 100
        if x > m:
            m = x
        if uint(x) > uint(m):
            m = x
    return m


@micropython.viper
def max_then_min(buf, n: int) -> int:
    # a maximum then a minimum each iteration: a clamp
    p = ptr8(buf)
    m = 50
    for i in range(n):
        x = p[i]
        if x > m:
            m = x
        if m > 200 - i:
            m = 200 - i
    return m


@micropython.viper
def bsort8(buf, n: int):
    b = ptr8(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] > b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def bsort16_desc(buf, n: int):
    b = ptr16(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] <= b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def bsort32(buf, n: int):
    b = ptr32(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if uint(b[j]) > uint(b[j + 1]):
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def overwrite(buf, n: int) -> int:
    # stores overwritten in the same iteration, or read back first
    p = ptr8(buf)
    s = 0
    for i in range(n):
        p[i] = 1
        p[i] = p[i] + 2
        p[i + 1] = i
        s += p[i + 1]
        p[i + 1] = 7
    return s


@micropython.viper
def shift_window(buf, n: int) -> int:
    # loads just behind stores to neighbouring bytes
    p = ptr8(buf)
    s = 0
    for i in range(n):
        p[i] = p[i + 1] + p[i + 2]
        s += p[i + 3]
    return s


def data(n, k):
    b = bytearray(n)
    for i in range(n):
        b[i] = (i * k + 11) & 255
    return b


# Python's results, in the machine word (64 or 32 bits).
W = 64 if sys.maxsize > 2**32 else 32
MASK = (1 << W) - 1


def signed(x):
    x &= MASK
    return x - (1 << W) if x >> (W - 1) else x


def ref_maxima(buf, n, start, scale):
    m = start
    for i in range(n):
        m = max(m, ((buf[2 * i] | buf[2 * i + 1] << 8) - 32768) * scale)
    return m


def ref_lcg(n, seed, init, low):
    lo, hi, x = init, -init, seed
    for i in range(n):
        x = signed(x * 69069 + 1)
        lo, hi = min(lo, x), max(hi, x)
    return lo if low else hi


def ref_unsigned(buf, n, off):
    m = 0
    for i in range(n):
        v = buf[4 * i] | buf[4 * i + 1] << 8 | buf[4 * i + 2] << 16 | buf[4 * i + 3] << 24
        m = max(m, (v * 0x10001 + off) & MASK)
    return m


scale = sys.maxsize >> 17
init = sys.maxsize >> 1
off = -(1 << (W - 4))
for n in (0, 1, 2, 3, 5, 8, 9, 64, 301):
    print(n, running_max(data(n, 73), n), running_min_signed(data(n, 29), n))
    ok = []
    for start in (-init, init, 0):
        b = data(2 * n, 37)
        ok.append(maxima_forms(b, n, start, scale) == ref_maxima(b, n, start, scale))
    for seed in (12345, -init):
        for low in (0, 1):
            ok.append(extreme_lcg(n, seed, init, low) == ref_lcg(n, seed, init, low))
    b = data(4 * n, 53)
    ok.append(unsigned_max(b, n, off) == ref_unsigned(b, n, off))
    print(ok, mixed(data(n, 41), n), max_then_min(data(n, 7), n))
    b = data(n, 73)
    bsort8(b, n)
    print(list(b[:6]), list(b[-6:]), sum(b))
    b = data(2 * n, 59)
    bsort16_desc(b, n)
    print(list(b[:6]), sum(b))
    b = data(4 * n, 131)
    bsort32(b, n)
    print(list(b[:8]), list(b[-8:]), sum(b))
    b = data(n + 2, 17)
    print(overwrite(b, n), list(b[:4]), sum(b))
    b = data(n + 3, 23)
    print(shift_window(b, n), sum(b))
