# struct: sizes of every format character with each byte-order prefix, pack/unpack
# (also _from/_into with offsets), padding and strings, and the errors.
import struct
fmts = "bBhHiIlLqQfd?xsP"
for c in "bBhHiIlLqQfd":
    print(c, struct.calcsize(c), struct.calcsize("<" + c), struct.calcsize(">2" + c))
print(struct.pack("<bBhHiIqQ", -1, 255, -2, 65535, -3, 2**32-1, -4, 2**64-1))
print(struct.pack(">fd", 1.5, -2.25))
print(struct.unpack("<hH", b"\xff\xff\xff\xff"), struct.unpack_from("<H", b"\x00\x01\x02", 1))
b = bytearray(8)
struct.pack_into("<HH", b, 2, 1, 2)
print(b)
print(struct.pack("3s2x", b"abcd"), struct.unpack("3s2xb", b"abc\x00\x00\x01"))
print(struct.calcsize("3s"), struct.calcsize("@bi"), struct.calcsize("!bi"))
for bad in [lambda: struct.pack("<h", 1, 2), lambda: struct.unpack("<h", b"1"), lambda: struct.pack("z", 1), lambda: struct.pack_into("<I", bytearray(2), 0, 1), lambda: struct.unpack_from("<I", b"12345", 3)]:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
print(struct.pack("<Q", 2**64-1), struct.unpack("<q", b"\xff"*8))
print(struct.pack("<I", -1) if False else "")
print(struct.unpack("<2h", b"\x01\x00\x02\x00"), struct.pack("<0s"), struct.unpack_from("<b", b"\x01\x02", -1))
