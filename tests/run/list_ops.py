l = [3, 1, 2]
l.append(5)
l.extend([9, 0])
print(l, len(l), l[1], l[-1], l[1:3], l[::-1])
l.sort()
print(l, l.pop(), l.pop(0), l)
l.insert(1, 7)
l.remove(3)
print(l, l.index(7), l.count(2), 7 in l, 8 in l)
l[0] = 100
del l[1]
print(l, l + [1], l * 2, [x * x for x in range(5) if x % 2 == 0])
l.reverse()
print(l, sorted([5, 2, 8], reverse=True), sorted(["bb", "a", "ccc"], key=len))
a, b, *rest = [1, 2, 3, 4, 5]
print(a, b, rest)
m = [[1, 2], [3, 4]]
print(m[1][0], [row[1] for row in m], list(range(3)), list("ab"))
print([1, 2] == [1, 2], [1, 2] < [1, 3], min([4, 2, 8]), max(4, 9, 1), sum([1, 2, 3]))
