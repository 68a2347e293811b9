a = 0x1F
b = 0o17
c = 0b1011
d = 1_000_000
e = 0xdead_beef
