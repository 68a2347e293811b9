# Viper pointer accesses p[i + c] and p[i - c] inside loops: the base plus the
# constant may live in a register of its own, which must follow every write of
# the pointer (in the loop, in a branch, as a parameter) and scale with the
# pointee's size.


@micropython.viper
def bubble(buf: ptr8, n: int):
    for i in range(n):
        for j in range(n - 1 - i):
            if buf[j] > buf[j + 1]:
                t = buf[j]
                buf[j] = buf[j + 1]
                buf[j + 1] = t


@micropython.viper
def diffs(src, dst, n: int):
    s = ptr16(src)
    d = ptr16(dst)
    for i in range(1, n):
        d[i - 1] = s[i] - s[i - 1]


@micropython.viper
def sums32(src, n: int) -> int:
    s = ptr32(src)
    total = 0
    for i in range(n - 2):
        total += s[i + 2] - s[i + 1] + s[i]
    return total


@micropython.viper
def switch_base(a, b, n: int) -> int:
    # The pointer changes inside the loop: the offset base must follow.
    p = ptr8(a)
    total = 0
    for i in range(n):
        if i == 2:
            p = ptr8(b)
        total += p[i + 1] * 10 + p[i] + p[i + 1] * p[i + 1]
    return total


@micropython.viper
def two_offsets(src, n: int) -> int:
    p = ptr8(src)
    total = 0
    for i in range(n):
        total = total * 3 + p[i + 2] - p[i + 1] + p[i + 3]
        total &= 0xFFFFF
    return total


@micropython.viper
def computed_index(src, n: int) -> int:
    p = ptr16(src)
    total = 0
    for i in range(n):
        total += p[i * 2 + 1]
    return total


@micropython.viper
def shift_left(buf, n: int):
    p = ptr8(buf)
    i = 0
    while i < n - 1:
        p[i] = p[i + 1]
        i += 1
    p[n - 1] = 0


data = bytearray([9, 3, 7, 1, 8, 2, 6, 4, 5, 0])
bubble(data, len(data))
print(list(data))

src = bytearray(2 * 6)
for k in range(6):
    v = k * k * 37
    src[2 * k] = v & 255
    src[2 * k + 1] = v >> 8
dst = bytearray(2 * 6)
diffs(src, dst, 6)
print(list(dst))

w = bytearray(4 * 6)
for k in range(6):
    w[4 * k] = k + 1
    w[4 * k + 1] = k
print(sums32(w, 6))

a = bytearray([1, 2, 3, 4, 5, 6, 7])
b = bytearray([10, 20, 30, 40, 50, 60, 70])
print(switch_base(a, b, 5))

print(two_offsets(bytearray(range(1, 30, 3)), 7))

h = bytearray(range(40))
print(computed_index(h, 8))

s = bytearray(b"abcdef")
shift_left(s, len(s))
print(s)
