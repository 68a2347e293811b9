a = 1
b = 2
c = 3
r = a + b * c ** 2 - (a - b) // c
q = -a ** 2
p = not a == b
