# BytesIO.seek: negative absolute position is an OSError, relative ones clamp at 0
import io
b = io.BytesIO(b"hello")
try:
    b.seek(-1)
except OSError as e:
    print("OSError", e.args[0] > 0)
print(b.seek(2), b.seek(-10, 1), b.seek(-2, 2), b.read())
# a bytearray source is copied, not shared
src = bytearray(b"abc")
c = io.BytesIO(src)
c.write(b"Z")
print(src, c.getvalue())
