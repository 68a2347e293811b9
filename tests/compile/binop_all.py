a = 5
b = 3
r = [a + b, a - b, a * b, a / b, a // b, a % b, a ** b, a @ b, a << b, a >> b, a & b, a | b, a ^ b]
