a = b'abc'
b = b'\x00\xff'
c = b''
