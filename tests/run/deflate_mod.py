# deflate.DeflateIO: compression and decompression round trips, stream
# methods, window sizes, and the errors of bad arguments and bad data.
import deflate
import io

print(deflate.AUTO, deflate.RAW, deflate.ZLIB, deflate.GZIP)


def compress(data, *args):
    b = io.BytesIO()
    with deflate.DeflateIO(b, *args) as g:
        print("wrote", g.write(data))
    return b.getvalue()


def decompress(data, *args):
    with deflate.DeflateIO(io.BytesIO(data), *args) as g:
        return g.read()


def attempt(f, *args):
    try:
        r = f(*args)
        print("ok", r if not isinstance(r, bytes) or len(r) < 60 else len(r))
    except OSError as e:
        print("OSError", e.args)
    except EOFError:
        print("EOFError")
    except ValueError as e:
        print("ValueError", e)
    except TypeError:
        print("TypeError")


text = b"The quick brown fox jumps over the lazy dog. " * 20 + bytes(range(256))
for fmt in (deflate.RAW, deflate.ZLIB, deflate.GZIP):
    for wbits in (0, 5, 9, 15):
        packed = compress(text, fmt, wbits)
        print(fmt, wbits, len(packed), packed[:12])
        back = decompress(packed, fmt, wbits if wbits else 15)
        print(back == text)
        if fmt != deflate.RAW:
            print(decompress(packed) == text)

# Several writes, a str argument, and the empty stream.
b = io.BytesIO()
g = deflate.DeflateIO(b, deflate.ZLIB)
g.write("abc")
g.write(b"abcabcabc")
g.write(bytearray(b"xyz"))
g.close()
print(b.getvalue())
print(decompress(b.getvalue()))
print(compress(b"", deflate.GZIP))
attempt(decompress, compress(b"", deflate.ZLIB))  # an empty write sends nothing

# read(n), readinto, readline.
packed = compress(b"line one\nline two\nlast", deflate.ZLIB)
g = deflate.DeflateIO(io.BytesIO(packed))
print(g.read(4), g.read(0))
buf = bytearray(6)
print(g.readinto(buf), buf)
print(g.readline())
print(g.readline(3), g.readline())
print(g.readline(), g.read())
print(g.readinto(buf), g.read(5))
g.close()
g.close()

# A stored (uncompressed) block.
print(decompress(b"\x01\x05\x00\xfa\xffhello", deflate.RAW))

# close=True closes the wrapped stream; the default leaves it open.
b = io.BytesIO()
deflate.DeflateIO(b, deflate.RAW, 8, True).close()
attempt(b.getvalue)
b = io.BytesIO(compress(b"x", deflate.RAW))
with deflate.DeflateIO(b, deflate.RAW) as g:
    print(g.read())
print(b.getvalue())

# Bad arguments.
attempt(deflate.DeflateIO, io.BytesIO(), 4)
attempt(deflate.DeflateIO, io.BytesIO(), -1)
attempt(deflate.DeflateIO, io.BytesIO(), deflate.RAW, 4)
attempt(deflate.DeflateIO, io.BytesIO(), deflate.RAW, 16)
attempt(deflate.DeflateIO)
attempt(deflate.DeflateIO, io.BytesIO(), 1, 8, False, 5)

# Bad data.
good = compress(b"hello hello hello", deflate.ZLIB)
attempt(decompress, good[:-1])  # truncated checksum
attempt(decompress, good[:5])  # truncated data
attempt(decompress, b"")  # nothing at all
attempt(decompress, b"\x78\x9d" + good[2:])  # bad header check
attempt(decompress, b"\x79\x9c" + good[2:])  # not deflate (CM != 8)
attempt(decompress, good[:-1] + b"\x00")  # bad checksum
attempt(decompress, b"\x07", deflate.RAW)  # block type 3
attempt(decompress, b"\x01\x05\x00\x00\x00hello", deflate.RAW)  # bad stored length
attempt(decompress, b"\x1f\x8b\x07\x00", deflate.GZIP)  # gzip, not deflate
attempt(decompress, good, deflate.GZIP)  # zlib data, gzip expected
far = compress(b"0123456789abcdef" + bytes(100) + b"0123456789abcdef", deflate.RAW, 7)
attempt(decompress, far, deflate.RAW, 6)  # window too small
print(len(decompress(far, deflate.RAW, 7)))

# A bad header; closing still works, and a closed stream refuses reads and writes.
g = deflate.DeflateIO(io.BytesIO(b"\x00\x00"))
attempt(g.read)
g.close()
attempt(g.read)
attempt(g.write, b"x")

# A wrapped stream whose methods use DeflateIO objects themselves.
class Tee(io.IOBase):
    def __init__(self):
        self.b = io.BytesIO()

    def write(self, buf):
        inner = deflate.DeflateIO(io.BytesIO(), deflate.RAW)
        inner.write(buf)
        inner.close()
        return self.b.write(buf)


t = Tee()
with deflate.DeflateIO(t, deflate.RAW) as g:
    g.write(b"reentrant " * 5)
print(decompress(t.b.getvalue(), deflate.RAW))
