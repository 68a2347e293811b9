# Viper locals used only as temporaries (written, then read on the next lines,
# never across a loop head or a branch target): kept in scratch registers,
# written back before calls and branches that may need them.
import micropython


@micropython.viper
def many(x: int) -> int:
    # More temporaries alive at once than scratch registers.
    a = x & 15
    b = (x >> 4) & 15
    c = (x >> 8) & 15
    d = (x >> 12) & 15
    e = (x >> 16) & 15
    f = (x >> 20) & 15
    return a + b * 2 + c * 3 + d * 5 + e * 7 + f * 11 + a * f - b * e + c * d


@micropython.viper
def around_calls(x: int, v: int) -> int:
    t = x & 255
    q = x // v
    u = t + q
    r = x % v
    return u * 1000 + r + t


@micropython.viper
def around_branches(x: int) -> int:
    s = 0
    for i in range(x):
        t = i * 3
        if t & 4:
            s += t
        else:
            s -= 1
        w = t + 1
        if w > 20:
            break
        s += w
    return s


@micropython.viper
def overwritten(x: int) -> int:
    t = x + 1
    y = t
    t = y * 2
    z = t + y
    t = z - t
    return t * 100 + y * 10 + z


@micropython.viper
def swap(buf, n: int):
    b = ptr8(buf)
    for j in range(n - 1):
        if b[j] > b[j + 1]:
            t = b[j]
            b[j] = b[j + 1]
            b[j + 1] = t


@micropython.viper
def blend(d: ptr32, s: ptr32, n: int, alpha: int):
    inv = 256 - alpha
    for i in range(n):
        a = d[i]
        b = s[i]
        out = 0
        shift = 0
        while shift < 32:
            ca = (a >> shift) & 255
            cb = (b >> shift) & 255
            out |= (((ca * inv + cb * alpha) >> 8) & 255) << shift
            shift += 8
        d[i] = out


print([many(v) for v in (0, 1, 0x123456, 0xFFFFFF, 0x7A5C3E)])
print([around_calls(v, w) for v in (7, 1000, -1000, 123456) for w in (3, -7)])
print([around_branches(v) for v in (0, 1, 5, 20)])
print([overwritten(v) for v in (0, 5, -9)])
buf = bytearray([5, 3, 9, 1, 7, 2])
swap(buf, len(buf))
print(list(buf))
d = array_d = bytearray(16)
s = bytearray(16)
for i in range(16):
    d[i] = (i * 37 + 11) & 255
    s[i] = (i * 91 + 5) & 255
blend(d, s, 4, 100)
print(list(d))
