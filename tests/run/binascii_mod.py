# binascii: hex and base64 both ways, crc32, and the errors.
import binascii

print(binascii.hexlify(b""), binascii.hexlify(b"\x00\x7f\x80\xff"), binascii.hexlify(bytearray(b"ab")))
print(binascii.hexlify(b"\x01\x02\x03", "-"), binascii.hexlify(b"\x01\x02", b":"), binascii.hexlify(b"\x01", "-"))
print(binascii.unhexlify("0aff"), binascii.unhexlify(b"DEADbeef"), binascii.unhexlify(""))
for bad in ["0", "zz", "0a1", "0g"]:
    try:
        binascii.unhexlify(bad)
    except ValueError as e:
        print("ValueError", e)
try:
    binascii.unhexlify(5)
except TypeError:
    print("TypeError")
for data in [b"", b"a", b"ab", b"abc", b"abcd", bytes(range(256))[250:], b"\xff\xfe"]:
    enc = binascii.b2a_base64(data)
    print(enc, binascii.b2a_base64(data, newline=False), binascii.a2b_base64(enc) == data)
print(binascii.a2b_base64("YWJj"), binascii.a2b_base64(b"YW\nJj\n"), binascii.a2b_base64(b"YQ==YQ=="), binascii.a2b_base64(b"!!!!"))
for bad in [b"YWJ", b"YW=j", b"Y", b"YQ=", b"="]:
    try:
        binascii.a2b_base64(bad)
    except ValueError as e:
        print("ValueError", e)
print(binascii.crc32(b""), binascii.crc32(b"hello"), binascii.crc32(b"world", binascii.crc32(b"hello ")))
print(binascii.crc32(b"The quick brown fox jumps over the lazy dog"), binascii.crc32(b"x", 0xFFFFFFFF))
