x = 1
a = (x, 2)
b = x, 2
