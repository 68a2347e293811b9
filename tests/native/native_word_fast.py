# Native fast paths: word-sized ints past the small-int range, integer array
# items of every typecode, iteration over lists and tuples, truth of small
# ints, and big constants.
import array


@micropython.native
def crc32(b):
    crc = 0xFFFFFFFF
    for x in b:
        crc ^= x
        for k in range(8):
            if crc & 1:
                crc = (crc >> 1) ^ 0xEDB88320
            else:
                crc >>= 1
    return crc ^ 0xFFFFFFFF


print(hex(crc32(b"123456789")))
print(hex(crc32(bytearray(b"hello world"))))


@micropython.native
def word_ops(a, b):
    return [a + b, a - b, a * b, a & b, a | b, a ^ b, a // b, a % b, a << 3, a >> 5, a < b, a == b, a >= b]


print(word_ops(0xFFFFFFFF, 12345))
print(word_ops(-(2**40) - 7, 0x7FFFFFFF))
print(word_ops(2**62, 3))
print(word_ops(1073741823, 1073741823))
print(word_ops(-(2**63), 7))


@micropython.native
def items(a):
    out = []
    for i in range(len(a)):
        out.append(a[i])
    for i in range(len(a)):
        a[i] = a[i] + 1
    return out


for code in "bBhHiIlLqQ":
    try:
        vals = {
            "b": [-128, 127, 0],
            "B": [0, 255, 7],
            "h": [-32768, 32767, 5],
            "H": [0, 65534, 9],
            "i": [-(2**31), 2**31 - 2, 11],
            "I": [0, 2**32 - 2, 2**31],
            "l": [-(2**31), 2**31 - 2, 3],
            "L": [0, 2**32 - 2, 2**30],
            "q": [-(2**63), 2**63 - 2, 2**40],
            "Q": [0, 2**64 - 2, 2**63],
        }[code]
        a = array.array(code, vals)
        print(code, items(a), list(a))
    except (ValueError, OverflowError) as e:
        print(code, type(e).__name__)


@micropython.native
def store_wide(a, v):
    a[0] = v
    a[1] = -v
    return list(a)


print(store_wide(array.array("I", [0, 0]), 0x89ABCDEF))
print(store_wide(array.array("i", [0, 0]), 2**31 - 1))
print(store_wide(array.array("H", [0, 0]), 0x12345))
print(store_wide(array.array("q", [0, 0]), 2**62 + 5))


@micropython.native
def iterate(seq):
    total = 0
    n = 0
    for x in seq:
        total += x
        n += 1
    return total, n


print(iterate((1, 2, 3)))
print(iterate([10, 20, 30, 40]))
print(iterate(()))
print(iterate([]))
print(iterate(range(5)))
print(iterate(b"\x01\x02"))


@micropython.native
def shrink(lst):
    seen = []
    for x in lst:
        seen.append(x)
        if lst:
            lst.pop()
    return seen


print(shrink([1, 2, 3, 4, 5]))


@micropython.native
def grow(lst):
    seen = []
    for x in lst:
        seen.append(x)
        if len(lst) < 6:
            lst.append(x * 10)
    return seen


print(grow([1, 2]))


@micropython.native
def truth(x):
    if x:
        a = "T"
    else:
        a = "F"
    b = "t" if not x else "f"
    c = x and "and"
    d = x or "or"
    return a, b, c, d


for v in (0, 1, -1, 2**29, -(2**30), 2**40, True, False, None, "", "s", [], [0]):
    print(repr(v), truth(v))


@micropython.native
def consts():
    return 0xEDB88320, 2**70, 1.5, b"xy", (1, 2)


print(consts())
print(consts() == consts())
