# websocket framing over in-memory and custom streams: fragments, masks,
# control frames, readinto/readline, blocking writes, and every error.
import io, errno, websocket


class Trickle(io.IOBase):
    # A stream giving one byte per read, and None (no data yet) every other call.
    def __init__(self, data):
        self.data = data
        self.tick = False
        self.log = []

    def read(self, n):
        self.tick = not self.tick
        if self.tick:
            return None
        d, self.data = self.data[:1], self.data[1:]
        return d

    def readinto(self, buf):
        d = self.read(len(buf))
        if d is None:
            return None
        buf[: len(d)] = d
        return len(d)

    def write(self, b):
        self.log.append(bytes(b[:3]))
        return min(len(b), 3)

    def setblocking(self, flag):
        self.log.append(flag)

    def close(self):
        self.log.append("closed")

    def ioctl(self, req, arg):
        return 0


ws = websocket.websocket(io.BytesIO(b"\x81\x06line1\n\x81\x05rest\n\x81\x00\x82\x03abc"))
print(ws.readline(), ws.readline())
buf = bytearray(8)
print(ws.readinto(buf), buf)
print(ws.ioctl(8))

# Masked fragments split across reads.
ws = websocket.websocket(Trickle(b"\x01\x82\x01\x02\x03\x04ab\x80\x02cd"))
out = []
for _ in range(40):
    d = ws.read(4)
    out.append(d)
print(out.count(None) > 0, b"".join(d for d in out if d))

# Writes go out whole even when the stream takes 3 bytes at a time; with
# blocking_write the stream is made blocking around each frame.
t = Trickle(b"")
ws = websocket.websocket(t, True)
print(ws.write(b"hello"), t.log)
s = io.BytesIO()
websocket.websocket(s).close()
try:
    s.read()
except ValueError:
    print("stream closed")

# Errors
try:
    websocket.websocket(io.BytesIO(b"\x82\x7f" + bytes(8))).read(1)
except OSError as e:
    print("EIO", e.errno == errno.EIO)
try:
    websocket.websocket(io.BytesIO()).ioctl(3)
except OSError as e:
    print("EINVAL", e.errno == errno.EINVAL)
print(websocket.websocket(io.BytesIO(b"\x81")).read(4))
