# uctypes: structures over a bytearray (scalars of every size, both byte
# orders, bit fields, nested structs, arrays, pointers), sizeof, and errors.
import uctypes

desc = {
    "u8": uctypes.UINT8 | 0,
    "i8": uctypes.INT8 | 1,
    "u16": uctypes.UINT16 | 2,
    "i32": uctypes.INT32 | 4,
    "u64": uctypes.UINT64 | 8,
    "lo": uctypes.BFUINT8 | 0 | 0 << uctypes.BF_POS | 4 << uctypes.BF_LEN,
    "hi": uctypes.BFINT8 | 0 | 4 << uctypes.BF_POS | 4 << uctypes.BF_LEN,
    "sub": (2, {"a": uctypes.UINT8 | 0, "b": uctypes.UINT8 | 1}),
    "words": (uctypes.ARRAY | 4, uctypes.UINT16 | 2),
    "pairs": (uctypes.ARRAY | 8, 2, {"x": uctypes.UINT8 | 0, "y": uctypes.INT8 | 1}),
    "f": uctypes.FLOAT32 | 12,
}
data = bytearray(16)
for layout in (uctypes.LITTLE_ENDIAN, uctypes.BIG_ENDIAN):
    for i in range(16):
        data[i] = 0
    s = uctypes.struct(uctypes.addressof(data), desc, layout)
    s.u8 = 0x9A
    s.i8 = -2
    s.u16 = 0x1234
    s.i32 = -100000
    print(s.u8, s.i8, hex(s.u16), s.i32, s.lo, s.hi, s.sub.a, s.sub.b)
    print(bytes(data[:8]))
    s.hi = -3
    s.lo = 7
    print(hex(s.u8), s.hi, s.lo)
    s.words[1] = 0xBEEF
    print(hex(s.words[0]), hex(s.words[1]), s.i32)
    s.pairs[1].y = -1
    s.pairs[0].x = 200
    print(s.pairs[0].x, s.pairs[1].y, hex(s.u64))
    s.f = 1.5
    print(s.f)
print(uctypes.sizeof(desc, uctypes.LITTLE_ENDIAN), uctypes.sizeof({"a": uctypes.UINT8 | 0, "b": uctypes.UINT32 | 4}))
print(uctypes.sizeof({"a": uctypes.UINT8 | 0, "b": uctypes.UINT16 | 1}, uctypes.LITTLE_ENDIAN))

buf = b"AB"
# The pointer's storage must stay alive while the struct uses its address.
pbuf = bytearray(uctypes.addressof(buf).to_bytes(8, "little"))
p = uctypes.struct(uctypes.addressof(pbuf), {"p": (uctypes.PTR | 0, uctypes.UINT8)}, uctypes.LITTLE_ENDIAN)
print(p.p[0], p.p[1], int(p.p) == uctypes.addressof(buf))
print(uctypes.bytes_at(uctypes.addressof(buf), 2))
arr = uctypes.struct(uctypes.addressof(data), {"a": (uctypes.ARRAY | 0, uctypes.UINT8 | 4)}).a
arr[0] = 0x55
print(data[0] == 0x55, len(arr))

for bad in (lambda: s.words[2],):
    try:
        bad()
    except IndexError:
        print("IndexError")
for bad in (lambda: s[0], lambda: hash(s), lambda: uctypes.sizeof([]), lambda: uctypes.sizeof(1),
            lambda: setattr(s, "sub", 1)):
    try:
        bad()
    except TypeError:
        print("TypeError")
try:
    s.nothing
except KeyError:
    print("KeyError")
