s = "a,b"
r = s.split(sep=",")
