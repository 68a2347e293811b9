print(1 + 2, 7 - 10, 6 * 7, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 1 << 5, 255 >> 4, 6 & 3, 6 | 3, 6 ^ 3, ~5, -(-3), +4)
print(1 < 2, 2 <= 2, 3 > 4, 3 >= 3, 1 == 1, 1 != 1)
a = 1 << 29
print(a * 4, a * a, -a * 8)
print(abs(-5), divmod(17, 5), divmod(-17, 5), int("42"), int("-0x1f", 16), int("101", 2), hex(255), bin(5))
x = 5
x += 3
x *= 2
x -= 1
print(x)
try:
    1 // 0
except ZeroDivisionError as e:
    print("zde", e)
print(True + True, True * 3, int(True))
