# A slice right before a subscript of a bytearray, memoryview or array.array
# needs no heap (as MicroPython's stack-allocated slices): slice assignments
# run under micropython.heap_lock(); loads, steps and errors (a right side
# that is not a buffer, bounds that are not ints) behave as usual. Native code
# allocates its slices (as MicroPython's does): bytecode only.
import array
import micropython

b = bytearray(range(10))
m = memoryview(b)
a = array.array("h", range(6))
lo = 1
pair = array.array("h", (-1, -2))

micropython.heap_lock()
b[3:5] = b"aa"
m[5:7] = b"bb"
a[lo : lo + 2] = pair
micropython.heap_unlock()
m[0:2] = m[8:10]
print(b, list(a))

print(b[2:6], bytes(m[1:9]), a[1:4], a[4:1])
for step in (3, 0):
    try:
        b[::step] = b"xyzw"
    except Exception as e:
        print(type(e).__name__)
try:
    b[1:3] = 5
except NotImplementedError as e:
    print("NotImplementedError", e)
print(b[1:3])


class Index:
    # Not taken as a bound (as in MicroPython), so its subscripts never run.
    def __index__(self):
        print("inner", b[4:6])
        b[6:8] = b"NN"
        return 0


try:
    b[Index() : 2] = b"AB"
except TypeError:
    print("TypeError")  # MicroPython: slice bounds are ints
print(b)
try:
    b[0:2] = [65, 66]
except NotImplementedError as e:
    print("NotImplementedError", e)

l = [1, 2, 3, 4]
l[1:3] = [9]
print(l, l[0:2], "abcdef"[1:4], (1, 2, 3)[1:])
