def f(a, b, c):
    return a + b + c
print(f(1, 2, 3))
