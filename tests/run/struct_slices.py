# struct.pack_into/unpack_from touch only the packed bytes; list slices copy only what they pick.
import struct
b = bytearray(b"\xaa" * 16)
struct.pack_into("<HxI", b, 3, 0x1234, 0xDEADBEEF)
print(b)
struct.pack_into("<h", b, -2, -2)
print(b[-4:], struct.unpack_from("<h", b, -2), struct.unpack_from("<HxI", b, 3))
print(struct.unpack_from("<4s", b"abcdefgh", 2), struct.unpack("<2H", b"\x01\x00\x02\x00"))
for bad in (15, -17):
    try:
        struct.pack_into("<H", b, bad, 1)
    except ValueError as e:
        print("ValueError", e)
try:
    struct.unpack_from("<I", b, 14)
except ValueError as e:
    print("ValueError", e)
l = list(range(30))
print(l[3:7], l[-3:], l[::7], l[20:5:-4], l[5:5], l[100:], l[-100:2])
