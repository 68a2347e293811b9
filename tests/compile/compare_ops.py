a = 1
b = 2
r = [a < b, a > b, a == b, a <= b, a >= b, a != b, a in b, a not in b, a is b, a is not b]
