r = {x % 3 for x in range(10)}
