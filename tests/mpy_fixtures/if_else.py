x = 1
if x > 0:
    y = 1
else:
    y = 2
