a = 1
b = 0
r = a and b
q = a or b
p = a and b or not a
