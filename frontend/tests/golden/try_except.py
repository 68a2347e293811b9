x = 1
try:
    a = b[1:2]
    c.d = a, b
except ValueError as err:
    print(err)
