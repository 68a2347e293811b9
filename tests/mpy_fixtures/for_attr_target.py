class A: pass
a = A()
for a.x in [1, 2]:
    pass
