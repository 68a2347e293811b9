a = [1, 2]
print(*a)
print(0, *a)
