l = [5, 3, 1, 4]
l.insert(0, 9); l.insert(-1, 7); l.insert(100, 0)
print(l, l.index(4), l.count(3))
l.remove(7); l.reverse(); print(l)
c = l.copy(); c.clear(); print(c, l)
l.sort(); print(l); l.sort(reverse=True); print(l); l.sort(key=lambda x: -x); print(l)
w = ['bb', 'a', 'ccc']
w.sort(key=len); print(w)
a = list(range(10))
a[1:3] = [10, 20, 30]; print(a)
try:
    del a[::2]
except NotImplementedError as e:
    print('NotImplementedError', e)
del a[1:3]; print(a)
a = [1, 2] * 2; a += [3]; a *= 2; print(a)
print([1, 2] < [1, 3], [1, 2] == [1, 2], [2] > [1, 5], [] < [1], [1, 2] <= [1, 2])
print(a[::-1], a[1::3], a[-2:])
t = (1, 2, 3, 2)
print(t.index(2), t.count(2), t < (1, 3), hash((1, 2)) == hash((1, 2)), t + (4,), t * 2)
d = {'a': 1}
print(d.setdefault('b', 2), d.setdefault('a', 5), d)
d.update({'c': 3}, e=5); d.update([('f', 6)]); print(sorted(d.items()))
print(d.pop('a'), d.pop('zz', None), sorted(d.keys()), sorted(d.values()))
print(dict.fromkeys(['x', 'y']), dict.fromkeys('ab', 0))
print(len(d.popitem()), len(d))
print(list(enumerate('ab', 1)), list(zip('ab', [1, 2, 3])), list(map(lambda x, y: x + y, [1, 2], [3, 4])))
print(list(filter(None, [0, 1, 2, ''])), list(filter(lambda x: x > 1, [1, 2, 3])), list(reversed([1, 2, 3])), list(reversed('ab')))
print(sorted([3, 1, 2], reverse=True), sorted(['bb', 'a'], key=len), min([3, 1, 2]), max(3, 1, 2), min([], default=7), max(['a', 'bbb'], key=len))
print(sum([1, 2, 3], 10), sum([[1], [2]], []), min(1, 2, key=lambda x: -x))
print({'a': 1}.keys() | {'b'} if False else 'skip')
try:
    [].pop()
except IndexError as e:
    print('IndexError', e)
try:
    [1].index(5)
except ValueError as e:
    print('ValueError', e)
try:
    [1].remove(5)
except ValueError as e:
    print('ValueError', e)
try:
    {}['k']
except KeyError as e:
    print('KeyError', e)
try:
    min([])
except ValueError as e:
    print('ValueError', e)
try:
    (1,).index(5)
except ValueError as e:
    print('ValueError', e)
try:
    {}.popitem()
except KeyError as e:
    print('KeyError', e)
