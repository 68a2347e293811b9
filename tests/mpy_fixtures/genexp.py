g = (x for x in range(3))
print(list(g))
