# arrays, memoryviews and struct share typecodes: sizes, big ints, floats, objects
from array import array
import struct

for code in "bBhHiIlLqQ":
    a = array(code, [1, 2, 3])
    print(code, len(bytes(a)), a[1], list(memoryview(a)))

big = array("Q", [0, 2**64 - 1, 2**63])
print(big, bytes(big[1:2]))
print(array("q", [-(2**63), 2**63 - 1]))
print(array("B", [-1, 256, 257]), array("i", [2**40 + 5]))
print(array("f", [1.5, -2.25]), array("d", [0.1]))
o = array("O")
o.append("text")
o.append([1, 2])
print(o[0], o[1])

# memoryview keeps the item type of its source
m = memoryview(array("h", [-2, 300, 7]))
print(len(m), m[0], m[-1], list(m[1:]))
m[1] = -5
print(list(m))
mv = memoryview(array("I", range(6)))
mv[1:] = mv[:-1]
print(list(mv))
try:
    mv[0:2] = memoryview(bytearray(2))
except ValueError as e:
    print("ValueError", e)
try:
    mv[0:2] = mv[0:3]
except ValueError as e:
    print("ValueError", e)

# comparisons
print(array("b", [97, 98]) == b"ab", array("b", [1]) == array("B", [1]))
print(array("H", [1, 2]) < array("H", [1, 3]), memoryview(b"ab") == b"ab")
for x, y in (("b", "h"), ("f", "f"), ("i", "q")):
    try:
        array(x) == array(y)
    except NotImplementedError:
        print("NotImplementedError", x, y)
try:
    print(1 in array("b", [1]))
except NotImplementedError:
    print("NotImplementedError in")
print("x" in array("b", [1]))

# struct with big and float items
print(struct.pack("<Q", 2**64 - 1), struct.pack(">q", -2))
print(struct.unpack("<Q", b"\xff" * 8), struct.unpack("<d", struct.pack("<d", 1.25)))
print(struct.calcsize("@l"), struct.calcsize("<l"), struct.pack("<2I", 7))
print(struct.unpack("<f", struct.pack("<f", 3)))

# hex with a separator, fromhex spacing, split keeping trailing text
print(b"\x01\xab".hex(), b"\x01\xab".hex(":"), memoryview(b"\x01\x02").hex("-"))
for s in ("ab cd", " ab\tcd ", "a b", "abc"):
    try:
        print(bytes.fromhex(s))
    except ValueError as e:
        print("ValueError", e)
print("a b  c  ".split(None, 1), b" x  y ".split(None, 1), "a  ".split(None, 1))
