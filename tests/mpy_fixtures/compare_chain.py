a = 1
b = 2
c = 3
r = a < b < c
q = a < b <= c != 4
