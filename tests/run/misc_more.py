d = {'a': 1, 'b': 2}
k = d.keys()
print(k, len(k), 'a' in k, 'z' in k, list(d.values()), list(d.items()), ('a', 1) in d.items())
print(b'%d-%s' % (5, b'x'), b'%x' % 255)
print(sorted({3: 1, 1: 2}), sorted('cba'), sorted((2, 1)), reversed(range(3)) is not None)
print(list(zip()), list(zip([1], [2], [3])), list(enumerate([])), list(map(str, [1, 2])))
print(max([1, 5, 3], key=lambda x: -x), min('bca'), max((1, 'a'), (1, 'b')), min([4], default=0))
print([1, 2, 3] * 0, [[0] * 2] * 2, (1,) * 3, [1] + [2], (1, 2) + (3,))
print(tuple([1, 2]), tuple(), list('ab'), list(), dict(a=1), dict([(1, 2)]), dict({1: 2}, b=3))
print({1: 'a', 2: 'b'} == {2: 'b', 1: 'a'}, [1, [2]] == [1, [2]], (1, 2) != (1, 3), hash(()) == hash(()))
l = [3, 1, 2]
l[1:1] = [9, 9]
print(l, l[::-2], l[5:], l[-100:1])
del l[1:3]
print(l)
l2 = [5, 4]
l2.extend(range(2))
print(l2, l2.pop(0), l2.pop(-1), l2)
s = 'abc'
print(s * 2, 2 * s, s[-1], s[1:], s[:-1], s.upper().lower(), str(s) is s)
print(set('abc') == frozenset('cba'), {1, 2} == frozenset([1, 2]), frozenset([1]) in {frozenset([1]): 0})
