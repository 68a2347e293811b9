from micropython import const
A = const(1.5)
B = const("s")
print(A, B)
