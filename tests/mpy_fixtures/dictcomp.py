r = {k: k * 2 for k in range(5)}
