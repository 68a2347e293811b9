# io.BytesIO(n) and io.StringIO(n) (MicroPython's form) start empty with room
# for n bytes: writing that much needs no heap, so it runs under
# micropython.heap_lock(); writing more then raises MemoryError.
import io
import micropython

data = b"1234" * 16
buf = io.BytesIO(64)
text = io.StringIO(8)
micropython.heap_lock()
buf.write(data)
text.write("abcdefgh")
try:
    buf.write(b"more")
except MemoryError:
    print("MemoryError")
micropython.heap_unlock()
print(buf.getvalue(), buf.tell())
print(text.getvalue())
for n in (0, 3):
    b = io.BytesIO(n)
    print(repr(b.getvalue()), b.write(b"xyzw"), b.getvalue())
