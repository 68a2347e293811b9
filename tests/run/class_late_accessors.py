# Properties, descriptors and __setattr__ added to classes after they were
# created (and to bases of existing subclasses) still take effect on stores.
class A:
    pass

class B(A):
    pass

a = A()
b = B()
a.v = 1
b.v = 2
print(a.v, b.v)

def getter(self):
    return 'got'

def setter(self, value):
    print('setter', type(self).__name__, value)

A.p = property(getter, setter)
a.p = 10
b.p = 20
print(a.p, b.p, 'p' in a.__dict__)

class Desc:
    def __get__(self, obj, owner):
        return 'desc'
    def __set__(self, obj, value):
        print('Desc.__set__', value)

class C:
    pass

c = C()
C.d = Desc()
c.d = 2
print(c.d)

class D:
    pass

def hook(self, name, value):
    print('hook', name, value)
    object.__setattr__(self, name, value * 2)

d = D()
d.x = 1
D.__setattr__ = hook
d.y = 3
print(d.x, d.y)

class E:
    def __init__(self):
        self.a = 1

class F(E):
    @property
    def a(self):
        return 'F.a'
    @a.setter
    def a(self, v):
        print('F.a set', v)

F()
e = E()
print(e.a)
