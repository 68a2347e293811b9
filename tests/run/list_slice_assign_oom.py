# A list slice assignment that cannot get room for its items raises
# MemoryError and leaves the list as it was (as MicroPython's); with room it
# grows, shrinks and replaces as usual.
import micropython

l = [1, 2]
l2 = [3, 4, 5, 6, 7, 8, 9, 10]
micropython.heap_lock()
try:
    l[0:2] = l2
except MemoryError:
    print("MemoryError")
micropython.heap_unlock()
print(l)
l[0:1] = l2
print(l, len(l))
l[2:] = []
print(l)
l[:] = (7, 8, 9)
print(l)
big = list(range(100))
big[10:90] = [0]
print(len(big), big[9:13])
