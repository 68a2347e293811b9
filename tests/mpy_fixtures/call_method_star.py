l = []
args = [1]
l.append(*args)
