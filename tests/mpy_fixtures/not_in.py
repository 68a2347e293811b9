x = 1
if x not in [2]:
    pass
