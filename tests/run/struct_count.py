# a repeat count must be followed by a type code
import struct
for fmt in ("1", "<3", "2h1"):
    try:
        struct.calcsize(fmt)
        print("no error", fmt)
    except ValueError:
        print("ValueError", fmt)
print(struct.calcsize("<2h3s"), struct.unpack("<2h", b"\x01\x00\x02\x00"))
