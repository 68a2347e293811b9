t = (1, 2, 3)
print(t, len(t), t[0], t[-1], t[1:], (1,), (), t + (4,), t * 2)
a, b, c = t
print(a, b, c, t.index(2), t.count(3), 2 in t)
x, y = 1, 2
x, y = y, x
print(x, y, tuple([1, 2]), (1, 2) == (1, 2), (1, 2) < (1, 3))
print(hash((1, 2)) == hash((1, 2)))
