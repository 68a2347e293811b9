# MemoryError carries MicroPython's messages: "heap is locked" under
# micropython.heap_lock() (prepared by heap_lock, so raising it needs no heap)
# and "allocating N bytes" for a request the heap cannot hold; a MemoryError
# raised by the program has no message.
import micropython

saved = x = e = None
micropython.heap_lock()
try:
    x = [1, 2]
except MemoryError as e:
    saved = e
micropython.heap_unlock()
print(repr(saved), saved.args)

micropython.heap_lock()
micropython.heap_lock()
try:
    x = {}
    x[1] = 2
except MemoryError as e:
    saved = e
print(micropython.heap_unlock(), micropython.heap_unlock())
print(saved.args)

try:
    x = bytearray(10**9)
except MemoryError as e:
    print(repr(e))

try:
    raise MemoryError
except MemoryError as e:
    print(repr(e), e.args)

try:
    raise MemoryError("mine")
except MemoryError as e:
    print(repr(e))
