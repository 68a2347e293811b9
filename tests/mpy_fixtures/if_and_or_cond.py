a = 1
b = 2
if a and b:
    print(1)
if a or b:
    print(2)
if not a:
    print(3)
