a = 1
b = [1, 2, 3]
class C: pass
c = C()
c.x = 1
del a
del b[0], c.x
del b[0:1]
