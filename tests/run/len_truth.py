# len() and truth of built-in containers (read from the object on the fast paths) and of subclasses.
from collections import deque, OrderedDict
class L(list):
    def __len__(self): return 42
class D(dict):
    pass
q = deque((1, 2, 3), 5)
print(len([1, 2]), len((1,)), len(b"abc"), len(bytearray(4)), len({1: 2, 3: 4}), len(q), len(L([1])), len(D(a=1)), len(OrderedDict(a=1, b=2)), len("héllo"), len({1, 2}), len(range(5)))
q.append(9); q.popleft(); print(len(q), bool(q))
while q:
    q.pop()
print(len(q), bool(q), len(deque((), 3)))
try:
    len(5)
except TypeError as e:
    print(e)


def truths(*objs):
    return [1 if o else 0 for o in objs]


print(truths([], [0], (), (0,), b"", b"a", bytearray(), bytearray(1), {}, {1: 1}, "", "a", "x" * 40, deque((), 2), q, L(), D()))
