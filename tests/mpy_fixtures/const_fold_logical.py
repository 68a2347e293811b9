a = 1 and 2
b = 0 or 3
c = not 1
