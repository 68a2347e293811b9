class G:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10
print(list(G()), 20 in G(), [x for x in G()])
class Len:
    def __len__(self):
        return 0
print(bool(Len()), 'falsy' if not Len() else 'truthy')
class E:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o
print(E(1) == 1, 1 == E(1), E(1) != 1, E(2) in [1, 2], [E(3)].count(3) if False else 'skip')
class Ops:
    def __init__(self, v):
        self.v = v
    def __floordiv__(self, o):
        return 'floordiv'
    def __rfloordiv__(self, o):
        return 'rfloordiv'
    def __mod__(self, o):
        return 'mod'
    def __rmod__(self, o):
        return 'rmod'
    def __lshift__(self, o):
        return 'lshift'
    def __rpow__(self, o):
        return 'rpow'
    def __and__(self, o):
        return 'and'
    def __ror__(self, o):
        return 'ror'
    def __invert__(self):
        return 'invert'
    def __pos__(self):
        return 'pos'
    def __abs__(self):
        return 'abs'
o = Ops(1)
print(o // 1, 1 // o, o % 2, 2 % o, o << 1, 2 ** o, o & 1, 1 | o, ~o, +o, abs(o))
class Cnt:
    n = 0
    def __iadd__(self, k):
        Cnt.n += k
        return self
c = Cnt()
c += 5
c += 2
print(Cnt.n)
class H:
    def __hash__(self):
        return 42
print(hash(H()), {H(): 1} != {})
class A:
    def __getattr__(self, n):
        if n == 'magic':
            return 7
        raise AttributeError(n)
a = A()
print(a.magic, hasattr(a, 'magic'), hasattr(a, 'other'), getattr(a, 'other', 'dflt'))
class Base(dict):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.extra = 1
b = Base(x=1)
b['y'] = 2
print(sorted(b.items()), b.extra, len(b), 'x' in b, b.get('x'), list(sorted(b)))
class MyList(list):
    def __init__(self, n):
        super().__init__()
        for i in range(n):
            self.append(i)
m = MyList(3)
print(m, len(m), m + [9], sum(m), m[0], m[-1], sorted(m, reverse=True))
m.sort(reverse=True)
print(m, type(m).__name__)
