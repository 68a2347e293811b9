# int() parsing details, OSError attributes, dict view hashing
for text in ("01", "00", "0x1f", " 12 ", "0_1"):
    try:
        print(int(text, 0))
    except ValueError:
        print("ValueError", repr(text))
print(int(b"42"), int(bytearray(b"17")), int(memoryview(b"9")), int(b"ff", 16))
class BadInt:
    def __int__(self):
        return "no"
try:
    int(BadInt())
except TypeError:
    print("TypeError")
e = OSError(2, "missing")
print(e.errno, OSError().errno)
print(type(hash({1: 2}.values())))
for v in ({}.keys(), {}.items()):
    try:
        hash(v)
    except TypeError:
        print("TypeError")
