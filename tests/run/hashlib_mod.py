# hashlib: sha256, sha1 and md5 digests (known vectors), incremental updates,
# and the errors.
import hashlib, binascii

def hx(b):
    return binascii.hexlify(b).decode()

for name in ("sha256", "sha1", "md5"):
    h = getattr(hashlib, name)
    print(name, hx(h().digest()))
    print(name, hx(h(b"abc").digest()))
    print(name, hx(h(b"a" * 1000).digest()))
    x = h()
    for i in range(0, 130, 3):
        x.update(b"%d" % i * i)
    print(name, hx(x.digest()))
    y = h(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
    print(name, hx(y.digest()))
h = hashlib.sha256(b"ab")
h.update("c")
h.update(bytearray(b""))
d = h.digest()
print(len(d), hx(d))
try:
    h.digest()
except ValueError as e:
    print("ValueError", e)
try:
    h.update(b"x")
except ValueError as e:
    print("ValueError", e)
try:
    hashlib.sha1(123)
except TypeError:
    print("TypeError")
m = hashlib.md5(memoryview(b"hello world")[6:])
print(hx(m.digest()))
