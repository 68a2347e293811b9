a = 1
b = a
del a
