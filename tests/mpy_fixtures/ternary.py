a = 1
r = "yes" if a else "no"
q = 1 if a else 2 if a > 5 else 3
