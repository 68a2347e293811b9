from collections import deque, namedtuple, OrderedDict
import collections
d = deque((), 3)
d.append(1); d.append(2); d.appendleft(0); d.append(3)
print(d, len(d), list(d), bool(d), d[0], d[-1])
print(d.pop(), d.popleft(), list(d))
d.extend([7, 8, 9])
print(list(d), len(d))
for x in deque([4, 5], 5):
    print(x)
try:
    deque((), 2).pop()
except IndexError as e:
    print('IndexError', e)
try:
    deque((), 2).popleft()
except IndexError as e:
    print('IndexError', e)
P = namedtuple('P', 'x y')
p = P(1, y=2)
print(p, p.x, p[1], len(p), p == (1, 2), type(p), isinstance(p, tuple))
Q = namedtuple('Q', ['a', 'b'])
print(Q(3, 4), Q.__name__, P)
x, y = p
print(x + y, list(p), p[0:1])
o = OrderedDict(); o['z'] = 1; o['a'] = 2; o['m'] = 3
print(o, list(o))
print(o.pop('a'))
print(o, len(o), 'z' in o, o['m'])
o['b'] = 4; o['z'] = 10
print(o, list(o.items()))
print(OrderedDict([('b', 1), ('a', 2)]), isinstance(o, dict))
big = OrderedDict()
for i in range(20):
    big[str(i)] = i
del big['5']
print(list(big)[:8], len(big))
try:
    P(1)
except TypeError as e:
    print('TypeError', e)
try:
    p.x = 5
except AttributeError as e:
    print('AttributeError', e)
print(collections.deque is deque)
