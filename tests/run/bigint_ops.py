# arbitrary-precision ints: overflow from small ints, normalisation, all operators
def t(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

a = 2 ** 100
b = -(3 ** 50)
print(a, b, a + b, a - b, a * b)
print(a // 7, a % 7, b // 7, b % 7, -a // 13, -a % 13)
print(a >> 3, b >> 5, a << 10, 1 << 70, -1 << 65)
print(a & 0xffff_ffff_ffff, a | 5, a ^ (a - 1), ~a, -a, abs(b))
print(a & b, a | b, a ^ b)
print(a > b, a == 2 ** 100, a != a + 1, b < 0, a >= a, b <= b)
print(2 ** 62 + 2 ** 62 - 2 ** 63, type(2 ** 100 - 2 ** 100))
x = 1
for i in range(80):
    x *= 3
print(x, x // 3 ** 79)
print(hash(2 ** 40) == hash(2 ** 40), {a: 1}[2 ** 100])
print(divmod(a, 7), divmod(b, -7), pow(3, 200, 1000), pow(-3, 5, 7), pow(2, 10, -7))
print(hex(a), oct(b), bin(2 ** 40 + 1), hex(-255))
print(int('123456789012345678901234567890'), int('-0x1f', 0), int('ff', 16), int('0b101', 0))
print(int('  7_000  '), int('z', 36), int('-' + '9' * 25, 16))
print(str(-2 ** 100), repr(2 ** 65), 12345678901234567890123)
print(a / 2 ** 98, 10 / 4, 7 / 7, 2 ** -2, 10 ** 20 * 1.0)
print((5).to_bytes(2, 'little'), (2 ** 70).to_bytes(10, 'big'), (0).to_bytes(0, 'big'))
print(int.from_bytes(b'\x01\x02', 'big'), int.from_bytes(b'\xff\xff\xff\xff\xff\xff\xff\xff\xff', 'little'))
print(round(15, -1), round(25, -1), round(2 ** 70 + 5, -1), round(7))
print(max(2 ** 70, 3), min(-2 ** 70, 3), sum([2 ** 64, 2 ** 64]), sorted([2 ** 65, 1, -2 ** 65]))
n = 1
for i in range(1, 30):
    n = n * i
print(n)
t(lambda: 2 ** 100 // 0)
t(lambda: 2 ** 100 % 0)
t(lambda: 1 / 0)
t(lambda: 1 << -1)
t(lambda: 0 ** -1)
t(lambda: pow(2, 10, 0))
t(lambda: pow(2.0, 3, 5))
t(lambda: int('abc'))
t(lambda: int('12', 1))
t(lambda: int(''))
t(lambda: (-1).to_bytes(2, 'little'))
t(lambda: (256).to_bytes(1, 'little'))
t(lambda: 2 ** 100 + 'a')
