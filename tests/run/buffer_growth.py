# array and bytearray grown by append/extend/+=, then read and written by index.
import array

a = array.array("i")
b = bytearray()
for i in range(1000):
    a.append(i * 3 - 500)
    b.append(i & 0xFF)
print(len(a), len(b), a[0], a[-1], a[500], b[0], b[-1], b[255], b[256])
a.extend(range(5))
a.extend(array.array("i", [7, 8]))
a += array.array("i", [9])
b.extend(b"xyz")
b += b"!"
b += bytearray(b"?")
print(len(a), a[-8:], len(b), b[-5:])
# Negative and boundary indexes, stores.
a[-1] = 123456789
a[0] = -2147483648
b[-1] = 255
b[0] = 7
print(a[-1], a[0], b[-1], b[0])
for bad in (1008, -1009):
    try:
        a[bad]
    except IndexError as e:
        print("IndexError", e)
try:
    b[1005] = 1
except IndexError as e:
    print("IndexError", e)
try:
    a["x"]
except TypeError as e:
    print("TypeError", e)
# Every typecode keeps its items through growth.
for code in "bBhHiIlLqQfd":
    x = array.array(code)
    for i in range(40):
        x.append(i % 100)
    x.extend([1, 2])
    print(code, len(x), x[39], x[-1], sum(x))
# A view taken after growth sees later stores.
m = memoryview(b)
b[2] = 42
print(m[2], len(m))
# Slices after growth.
c = array.array("H", range(20))
c.append(20)
c[1:3] = array.array("H", [100, 101, 102])
print(c, len(c))
d = bytearray(3)
for i in range(10):
    d.append(65 + i)
d[0:3] = b"--"
print(d, len(d))
e = bytearray(b"ab")
e.extend(e)
e += e
print(e)
f = array.array("b", [1, 2])
f.extend(f)
f += f
print(f)
