l = list(range(10))
l[1:3] = [7]
x = l[::2]
y = l[1:]
z = l[:-1]
w = l[1:8:3]
v = l[:]
