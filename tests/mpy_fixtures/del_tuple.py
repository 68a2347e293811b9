a = 1
b = 2
del (a, b)
