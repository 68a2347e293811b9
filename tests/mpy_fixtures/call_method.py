l = []
l.append(1)
l.extend([2, 3])
