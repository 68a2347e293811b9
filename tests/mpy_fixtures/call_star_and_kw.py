a = [1]
k = {}
print(*a, 3, *a, sep="", **k)
