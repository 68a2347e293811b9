# Loops carrying a running maximum or minimum of the elements they read
# (a bubble sort's pass, running extremes). The optimizing tier runs 16
# bytes of their iterations at a time, the running value computed by a
# prefix scan; results must be the element-by-element loop's.
import micropython
import array
import sys

# 32-bit elements from 2**31 up are negative viper ints on 32-bit targets,
# so they sort differently there: those lines print no checksum.
W = 64 if sys.maxsize > 2**32 else 32


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
    # Descending: the running value is a minimum.
    b = ptr16(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] < b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def bsort32(buf, n: int):
    b = ptr32(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] >= b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def running_max(src, dst, n: int) -> int:
    # Two buffers: not vectorised (they may overlap), results still right.
    s = ptr8(src)
    d = ptr8(dst)
    m = 0
    for i in range(n):
        if s[i] > m:
            m = s[i]
        d[i] = m
    return m


@micropython.viper
def prefix_max(buf, n: int) -> int:
    # In place: each element becomes the maximum so far.
    b = ptr8(buf)
    m = 0
    for i in range(n):
        if b[i] > m:
            m = b[i]
        b[i] = m
    return m


@micropython.viper
def prefix_max_from(buf, n: int, start: int) -> int:
    # From `start`, which may be any word: no byte lane can hold it, so the
    # loop stays scalar.
    b = ptr8(buf)
    m = start
    for i in range(n):
        if b[i] > m:
            m = b[i]
        b[i] = m
    return m


@micropython.viper
def prefix_min16(buf, n: int) -> int:
    b = ptr16(buf)
    m = b[0]
    for i in range(1, n):
        v = b[i]
        if v < m:
            m = v
        b[i] = m
    return m


@micropython.viper
def store_ahead(buf, n: int) -> int:
    # Each iteration stores where the one after next loads: must stay a
    # scalar loop.
    b = ptr8(buf)
    m = 0
    for j in range(n):
        if b[j] > m:
            m = b[j]
        b[j + 2] = m
    return m


def data(n, k, mod):
    return [(i * 73 + k * 29 + 11) % mod for i in range(n)]


def check(name, got, want):
    print(name, "ok" if list(got) == want else "WRONG", sum(i * v for i, v in enumerate(got)) & 0xFFFFFFFF)


for n in (0, 1, 2, 15, 16, 17, 18, 31, 33, 64, 100):
    for k in range(3):
        d = data(n, k, 256)
        b = bytearray(d)
        bsort8(b, n)
        check("u8 %d" % n, b, sorted(d))
        d = data(n, k, 65536)
        h = array.array("H", d)
        bsort16_desc(h, n)
        check("u16 %d" % n, h, sorted(d, reverse=True))
        d = [(v * 2654435761) & (0xFFFFFFFF if W == 64 else 0x7FFFFFFF) for v in data(n, k, 1 << 30)]
        w = array.array("I", d)
        bsort32(w, n)
        print("u32 %d" % n, "ok" if list(w) == sorted(d) else "WRONG")

# Extremes of the element range, ties, and a partial sort of a long buffer.
b = bytearray([255, 0, 255, 0, 128, 128, 1, 254] * 5)
bsort8(b, len(b))
print(list(b))
h = array.array("H", [0xFFFF, 0, 0x8000, 0x7FFF] * 6)
bsort16_desc(h, len(h))
print(list(h))
b = bytearray(data(300, 5, 256))
bsort8(b, 200)
print(b[0], b[100], b[199], b[200], b[299])

src = bytearray(data(40, 1, 256))
dst = bytearray(40)
print(running_max(src, dst, 40), list(dst))
print(running_max(src, src, 40), list(src))
b = bytearray(data(40, 2, 256))
print(store_ahead(b, 37), list(b))

for n in (0, 1, 16, 17, 50):
    b = bytearray(data(n, 3, 256))
    print(prefix_max(b, n), list(b))
for start in (0, 7, 255, 256, -1):
    b = bytearray(data(50, 3, 256))
    print(prefix_max_from(b, 50, start), list(b))
h = array.array("H", data(45, 4, 65536))
print(prefix_min16(h, 45), list(h))
