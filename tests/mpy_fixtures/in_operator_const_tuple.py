x = 2
r = x in (1, 2, 3)
