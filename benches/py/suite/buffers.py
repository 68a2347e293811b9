# Buffer work: array and bytearray built by append/extend, read and written by index.
import array


def build(n):
    a = array.array("i")
    b = bytearray()
    for i in range(n):
        a.append((i * 7919) & 0xFFFF)
        b.append(i & 0xFF)
    a.extend(range(8))
    b.extend(b"\x01\x02\x03")
    return a, b


def checksum(a, b):
    s1 = 0
    s2 = 0
    for i in range(len(a)):
        s1 = (s1 + a[i]) & 0xFFFF
        s2 = (s2 + s1) & 0xFFFF
    for i in range(len(b)):
        s1 = (s1 + b[i]) & 0xFFFF
        s2 = (s2 + s1) & 0xFFFF
    return (s2 << 16) | s1


def scale(a, b):
    for i in range(len(a)):
        a[i] = (a[i] * 3) >> 1
    for i in range(len(b)):
        b[i] = (b[i] + 1) & 0xFF


def run():
    total = 0
    for r in range(12):
        a, b = build(5000)
        scale(a, b)
        total = (total + checksum(a, b) + len(a) + len(b)) & 0xFFFFFF
    return total


print("buffers", run())
