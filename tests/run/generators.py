def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"
print(list(count(4)))
g = count(2)
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("stop", e.value)
def echo():
    total = 0
    while True:
        x = yield total
        if x is None:
            break
        total += x
e = echo()
print(next(e), e.send(5), e.send(10))
def chain(*its):
    for it in its:
        r = yield from it
    return r
print(list(chain([1, 2], count(3), "ab")))
def inner():
    yield 1
    return 99
def outer():
    v = yield from inner()
    yield v
print(list(outer()))
print(sum(x * x for x in range(5)), list(x for x in "abc" if x != "b"))
def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("gen cleanup")
for v in gen_with_finally():
    print(v)
g = count(10)
print(next(g))
g.close()
print(list(g))
