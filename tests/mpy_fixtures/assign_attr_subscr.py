class A: pass
o = A()
o.x = 1
l = [0]
l[0] = 2
o.y, l[0] = 3, 4
