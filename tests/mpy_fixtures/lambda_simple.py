f = lambda: 1
g = lambda x, y=2: x + y
