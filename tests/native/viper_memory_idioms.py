# Memory idioms the optimizing tier rewrites: conditional exchanges and
# overwrites of places just read (made straight-line: both stores always
# run), and loops whose iterations read back what the one before stored
# (the value kept in a register): bubble sorts over 8-, 16- and 32-bit
# elements, running sums that wrap at the element's width, a clamp, and a
# loop that calls a function writing the same buffer (nothing may be kept
# across the call). Results are the same with 32-bit viper words.


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
            if b[j] < b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def bsort32(buf, n: int):
    b = ptr32(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] > b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t


@micropython.viper
def running8(buf, n: int, add: int) -> int:
    b = ptr8(buf)
    for j in range(n - 1):
        b[j + 1] = (b[j] + add) >> 1
    return b[n - 1]


@micropython.viper
def running16(buf, n: int, mul: int) -> int:
    b = ptr16(buf)
    for j in range(n - 1):
        b[j + 1] = b[j] * mul + 7
    return b[n - 1]


@micropython.viper
def running32_step2(buf, n: int) -> int:
    b = ptr32(buf)
    for j in range(0, n - 2, 2):
        b[j + 2] = (uint(b[j]) >> 3) + uint(0x7FFFFFFF)
    return int(uint(b[n - 2]) >> 1)


@micropython.viper
def clamp(buf, n: int, hi: int) -> int:
    b = ptr8(buf)
    clipped = 0
    for j in range(n):
        if b[j] > hi:
            b[j] = hi
        clipped += b[j]
    return clipped


def scribble(buf, j):
    buf[j + 1] = 99
    return 0


@micropython.viper
def running_with_call(buf, n: int) -> int:
    b = ptr8(buf)
    for j in range(n - 1):
        b[j + 1] = b[j] + 1
        scribble(buf, j)
    return b[n - 1]


def data(n, mul, add, mask):
    return [(i * mul + add) & mask for i in range(n)]


for n in (0, 1, 2, 3, 17, 64):
    b = bytearray(data(n, 73, 11, 255))
    bsort8(b, n)
    print("bsort8", n, list(b) == sorted(b), sum(b))

a = __import__("array")
for n in (2, 5, 40):
    h = a.array("H", data(n, 40503, 9, 0xFFFF))
    bsort16_desc(h, n)
    print("bsort16_desc", n, list(h) == sorted(h, reverse=True), h[0], h[n - 1])
    # Below 2**31: viper ints are 32-bit words on 32-bit targets.
    w = a.array("I", data(n, 2654435761, 1, 0x7FFFFFFF))
    bsort32(w, n)
    print("bsort32", n, list(w) == sorted(w), w[0], w[n - 1])

for add in (0, 1, 200, -3):
    b = bytearray(data(20, 31, 7, 255))
    print("running8", add, running8(b, 20, add), list(b))
h = a.array("H", data(12, 5, 3, 0xFFFF))
print("running16", running16(h, 12, 40001), list(h))
w = a.array("I", data(12, 3, 0xFFFFFF00, 0xFFFFFFFF))
print("running32_step2", running32_step2(w, 12), list(w))
b = bytearray(data(30, 37, 5, 255))
print("clamp", clamp(b, 30, 100), list(b))
b = bytearray(8)
print("running_with_call", running_with_call(b, 8), list(b))
