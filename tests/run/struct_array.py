import struct
from array import array
print(struct.calcsize('<bi'), struct.calcsize('>2h3s'), struct.calcsize('@bi'), struct.calcsize('<q'), struct.calcsize('bhx'))
print(struct.pack('<hI', -2, 258), struct.pack('>hI', -2, 258), struct.pack('!H', 1), struct.pack('<b', 300))
print(struct.pack('<3s2x', b'abcdef'), struct.pack('<2b', 1, 2), struct.pack('<q', -1), struct.pack('>Q', 5))
print(struct.unpack('<hI', b'\xfe\xff\x02\x01\x00\x00'), struct.unpack('>bB', b'\xff\xff'), struct.unpack('<3sb', b'xyz\x05'))
print(struct.unpack_from('<h', b'\x00\x01\x02', 1), struct.unpack_from('<b', b'123', -1))
buf = bytearray(6)
struct.pack_into('<hh', buf, 2, 1, -1)
print(buf)
print(struct.pack('<h', 1, 2), struct.pack('<hh', 1))
for bad in [lambda: struct.calcsize('z'), lambda: struct.unpack('<h', b'1'), lambda: struct.pack('<h', 'a'),
            lambda: struct.pack_into('<i', bytearray(2), 0, 1), lambda: struct.unpack_from('<b', b'1', -5)]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
a = array('i', [1, 2, 3])
a.append(4); a.extend([5, 6]); a.extend(array('i', [7]))
print(a, len(a), a[0], a[-1], a[1:3], list(a), sum(a))
a[0] = 100; a[1:3] = array('i', [9, 9])
print(a, a == array('i', [100, 9, 9, 4, 5, 6, 7]))
print(array('b', [-1, 127]), array('B', [255, 0]), array('h'), array('H', b'\x01\x00\x02\x00'), array('q', [2 ** 40]))
print(bytes(array('h', [1, -1])), memoryview(array('B', [1, 2]))[1], array('I', [1]) + array('I', [2]))
b = array('B', [1, 2])
b += array('B', [3])
print(b, bool(array('i')), bool(b))
for bad in [lambda: array('z'), lambda: array('i', [1])[5], lambda: array('i', ['a'])]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
try:
    a[0:1] = [1]
except NotImplementedError as e:
    print('NotImplementedError', e)
try:
    9 in a
except NotImplementedError as e:
    print('NotImplementedError', e)
