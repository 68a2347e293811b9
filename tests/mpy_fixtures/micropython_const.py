from micropython import const
X = const(10)
_Y = const(20)
Z = const(X * 2)
print(X, _Y, Z)
