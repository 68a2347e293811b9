n = 2
for i in range(0, 10, n):
    print(i)
