class Seq:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        return self.d[k]
    def __setitem__(self, k, v):
        self.d[k] = v
    def __delitem__(self, k):
        del self.d[k]
    def __len__(self):
        return len(self.d)
    def __contains__(self, k):
        return k in self.d
    def __iter__(self):
        return iter(sorted(self.d))
    def __bool__(self):
        return len(self.d) > 1

s = Seq()
s['a'] = 1; s['b'] = 2
print(s['a'], len(s), 'a' in s, 'z' in s, 'z' not in s, list(s), bool(s))
del s['a']
print(len(s), bool(s), 'yes' if s else 'no')

class Counter:
    def __init__(self, n):
        self.i = 0; self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
print(list(Counter(3)), sum(Counter(4)), [x * 2 for x in Counter(2)])

class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        return V(self.x + (o.x if isinstance(o, V) else o))
    def __radd__(self, o):
        return V(o + self.x)
    def __sub__(self, o):
        return V(self.x - o.x)
    def __mul__(self, k):
        return V(self.x * k)
    def __rmul__(self, k):
        return V(self.x * k * 10)
    def __neg__(self):
        return V(-self.x)
    def __eq__(self, o):
        return isinstance(o, V) and self.x == o.x
    def __lt__(self, o):
        return self.x < o.x
    def __le__(self, o):
        return self.x <= o.x
    def __hash__(self):
        return hash(self.x)
    def __repr__(self):
        return 'V(%d)' % self.x
    def __call__(self, y):
        return self.x + y
    def __iadd__(self, o):
        self.x += o
        return self

a, b = V(1), V(2)
print(a + b, a + 5, 5 + a, b - a, a * 3, 3 * a, -a, a == V(1), a != b, a < b, a <= b)
print(sorted([V(3), V(1), V(2)]), a(10), {V(1): 'one'}[V(1)], str(a), [a])
c = a
c += 4
print(c, a, c is a)

class P:
    def __str__(self):
        return 'P-str'
print(P(), str(P()), '%s' % P(), '{}'.format(P()))

class G:
    def __getattr__(self, name):
        return 'got ' + name
g = G()
g.real = 1
print(g.foo, g.real)

class S:
    def __setattr__(self, k, v):
        print('set', k, v)
        object.__setattr__(self, k, v)
    def __delattr__(self, k):
        print('del', k)
s2 = S()
s2.x = 5
print(s2.x)
del s2.x

class N:
    def __new__(cls, v):
        print('new', cls.__name__)
        o = object.__new__(cls)
        o.v = v
        return o
    def __init__(self, v):
        print('init', v)
print(N(4).v)

class L(list):
    def total(self):
        return sum(self)
l = L([1, 2, 3])
l.append(4)
print(l, len(l), l.total(), l[1], isinstance(l, list))

class D(dict):
    def __missing__(self, k):
        return 0
d = D(a=1)
d['b'] = 2
print(sorted(d.items()), len(d))

class MyErr(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code
try:
    raise MyErr('bad', 42)
except MyErr as e:
    print('caught', e, e.code, e.args)

class Str(str):
    pass
print(Str('abc'), Str('abc').upper(), len(Str('xy')))

class I(int):
    pass
print(I(5) + 1, I(3) * 2)

try:
    len(P())
except TypeError as e:
    print('TypeError', e)
try:
    P()[0]
except TypeError as e:
    print('TypeError', e)
try:
    P()()
except TypeError as e:
    print('TypeError', e)
try:
    iter(P())
except TypeError as e:
    print('TypeError', e)
try:
    P() + 1
except TypeError as e:
    print('TypeError', e)
