# Iterating and indexing str, bytes and tuple objects (read in place).
s = "aé日\U0001F600z" * 3
print([c for c in s])
print(s[0], s[1], s[2], s[3], s[4], s[14], s[-1], s[-5])
try:
    s[15]
except IndexError as e:
    print("IndexError", e)
print(list(b"\x00\x7f\x80\xff"), [x for x in b""], [c for c in ""])
t = tuple(range(10))
print(t[0], t[9], t[-1], t[-10], t[2:5], sum(x for x in t))
try:
    t[10]
except IndexError as e:
    print("IndexError", e)
q = "interned"
print([c for c in q], q[3])
big = "x" * 2000 + "é"
n = 0
for c in big:
    n += 1
print(n, big[2000], len(big))
bb = bytes(range(256)) * 10
print(sum(bb), len([x for x in bb]))
it = iter("ab")
print(next(it), next(it), next(it, "end"))
