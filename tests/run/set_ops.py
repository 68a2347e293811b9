s = {1, 2, 3}
print(s, len(s), 2 in s, 5 in s, 5 not in s)
print(set(), frozenset(), set([3, 3, 4]), frozenset('aab') == frozenset('ab'))
print(type(s), type(frozenset()))
e = set()
e.add(10); e.add('x'); e.add((1, 2))
print(len(e), 'x' in e, (1, 2) in e)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(a < b, {3} < b, {3, 4} <= b, b >= {5}, b > b, a == {4, 3, 2, 1}, a != b)
print(sorted(a.union([7, 8])), sorted(a.intersection(range(3))), sorted(a.difference([1], (2,))))
print(sorted(a.symmetric_difference([1, 9])))
print(a.isdisjoint([9]), a.isdisjoint([1]), a.issubset(range(10)), a.issuperset([1, 2]))
c = set(a)
c.update([5], (6,), 'z')
print(sorted(c, key=str))
c.discard('z'); c.discard('nope'); c.remove(6)
print(sorted(c))
try:
    c.remove(100)
except KeyError as ex:
    print('KeyError', ex)
d = {1, 2, 3}
d.difference_update([1])
print(d)
d.intersection_update([2, 5])
print(d)
d.symmetric_difference_update([2, 7, 8])
print(sorted(d))
x = d.pop()
print(x in (7, 8), len(d))
d.clear()
print(d, bool(d), bool({0}))
try:
    d.pop()
except KeyError as ex:
    print('KeyError', ex)
f = frozenset([1, 2])
print(f, hash(f) == hash(frozenset([2, 1])), f | {3}, type(f | {3}), type({3} | f))
print({f: 1}[frozenset([1, 2])])
g = {1}
g |= {2}; g &= {1, 2, 5}; g -= {5}; g ^= {9}
print(sorted(g))
h = f
h |= {7}
print(f, h)
print({x * x for x in range(5)})
print({n % 3 for n in range(10)})
sq = {i for i in 'hello'}
print(len(sq), 'h' in sq)
try:
    {[1]}
except TypeError as ex:
    print('TypeError', ex)
try:
    s + s
except TypeError as ex:
    print('TypeError', ex)
try:
    s | [1]
except TypeError as ex:
    print('TypeError', ex)
print(set(range(20)))
print(s.copy(), f.copy(), list({5, 6}), sum({1, 2, 3}))
for i in {100, 200}:
    print(i)
print({1: 2}.keys() == {1}) if False else print('skip')
