import os
x = 1
y = x + 2 * 3
def f(a, b=2, *c, d, e=5, **g):
    z = a + b
    for i in range(10):
        z += i
    while z > 0:
        z -= 1
        if z == 3:
            break
    return z
print(f(1, d=3))
