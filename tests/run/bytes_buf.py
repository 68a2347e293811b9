b = bytearray(b'a b ')
print(b.split(), b.strip(), b.upper(), b.find(b'b'), b.decode(), b.hex())
b.append(65); b.extend(b'xy'); b.extend([1, 2]); print(b, len(b), b[0], b[-1], b[1:3], list(b))
b[0] = 66; print(b); b[1:3] = b'QQQ'; print(b)
try:
    del b[0]
except TypeError as e:
    print('TypeError', e)
b = bytearray(b'QQQ ')
print(bytearray(3), bytearray([1, 2]), bytearray('ab', 'utf8'), bytes(bytearray(b'z')), b == bytearray(b'QQQ '), b'x' + bytearray(b'y'), bytearray(b'y') + b'x', b == b'QQQ ')
m = memoryview(b); print(len(m), m[0], bytes(m[1:3]), type(m[1:3])); m[0] = 97; print(b)
m[1:3] = b'zz'; print(b, m[-1])
print(b'abc'.hex(), bytes.fromhex('0102ff'), b'a' * 3, b'ab' in b'cabd', 98 in b'abc')
m2 = memoryview(b'abc')
try:
    m2[0] = 1
except TypeError as e:
    print('TypeError', e)
print(b'abc'[1], b'abc'[0:2], bytes(b'ab').split(b'b'), b'a,b'.split(b','))
b2 = bytearray(b'abc'); b2 += b'de'; print(b2, len(b2))
print(b'hello world'.count(b'o'), b'abc'.startswith(b'ab'), b'  x '.strip(), b'a-b'.partition(b'-'), b'x'.join([b'1', b'2']))
print(b'Hi'.lower(), b'abc'.replace(b'b', b'XX'), b'abc'.index(b'c'), b'abc'.find(99), b'a\nb'.splitlines())
print(bytes(3), bytes([65, 66]), bytes('hé', 'utf-8'), bytes(range(3)), b'\x00\xff\'"'.decode('latin') if False else 1)
try:
    bytes([256])
except ValueError as e:
    print('ValueError', e)
try:
    bytes('abc')
except TypeError as e:
    print('TypeError', e)
try:
    b'abc'.find('a')
except TypeError as e:
    print('TypeError', e)
try:
    b'abc'[0] = 1
except TypeError as e:
    print('TypeError', e)
try:
    bytes.fromhex('zz')
except ValueError as e:
    print('ValueError', e)
for x in bytearray(b'hi'):
    print(x)
print(bytearray(b'abc') < bytearray(b'abd'), b'abc' < b'b', memoryview(b'xy').hex())
