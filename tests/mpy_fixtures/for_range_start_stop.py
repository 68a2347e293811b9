for i in range(2, 10):
    print(i)
