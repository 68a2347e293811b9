# Many small writes to in-memory streams (the buffer grows in place), writes
# past the end after a seek, and getvalue() types.
import io

b = io.BytesIO()
for i in range(5000):
    b.write(bytes([i & 255]))
v = b.getvalue()
print(len(v), v[:4], v[-2:], type(v))
b.seek(3)
b.write(b"XY")
print(b.getvalue()[:6], b.tell())
b.seek(5005)
b.write(b"!")
print(len(b.getvalue()), b.getvalue()[-7:])
s = io.StringIO("h\u00e9llo")
s.seek(0, 2)
s.write("!")
print(s.getvalue(), s.tell(), type(s.getvalue()))
s.seek(0)
print(s.read(2), s.readline())
