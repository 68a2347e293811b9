# Python streams derived from io.IOBase go through MicroPython's stream
# protocol: write() is called until everything is written, a count above
# the request is EIO, None is EAGAIN, a negative count is -errno; json.load
# reads such a stream with readinto().
import io, json


class Chunky(io.IOBase):
    # Takes at most 2 bytes per call.
    def __init__(self):
        self.got = bytearray()

    def write(self, buf):
        self.got += buf[:2]
        return min(2, len(buf))

    def ioctl(self, cmd, arg):
        return 0


class Bad(io.IOBase):
    def __init__(self, result):
        self.result = result

    def write(self, buf):
        return self.result

    def ioctl(self, cmd, arg):
        return 0

    def readinto(self, buf):
        return self.result


class Source(io.IOBase):
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def readinto(self, buf):
        n = min(len(buf), len(self.data) - self.pos)
        buf[:n] = self.data[self.pos : self.pos + n]
        self.pos += n
        return n


c = Chunky()
print("hello", 12345, file=c)
print(bytes(c.got))

for result in (5, None, -22):
    try:
        print("abc", file=Bad(result))
        print("written")
    except OSError as e:
        print("write:", e.errno)
    try:
        json.load(Bad(result))
    except OSError as e:
        print("read:", e.errno)

print(json.load(Source(b'{"a": [1, 2.5, "x"], "b": null}')))
