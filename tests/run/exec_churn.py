# exec/eval/compile in a loop, with code kept alive by what refers to it, and
# class bodies run with bare globals (they find __name__ in builtins).
ns = {}
exec("class K:\n    def m(self):\n        return 'm'\nprint(K.__module__)", ns)
print(sorted(ns.keys()), ns["K"]().m())

kept = []
for i in range(300):
    g = {}
    exec("def f(x):\n    return x * %d\n" % i, g)
    if i % 100 == 0:
        kept.append(g["f"])
    assert eval("f(2)", g) == 2 * i
codes = [compile("%d + 1" % i, "<c>", "eval") for i in range(3)]
print([f(3) for f in kept], [eval(c) for c in codes])


def make_gen(n):
    src = "def gen():\n    for i in range(%d):\n        yield i\n" % n
    d = {}
    exec(src, d)
    return d["gen"]()


gens = [make_gen(n) for n in (2, 3)]
for i in range(200):
    exec("y = %d" % i)
print([list(g) for g in gens], y)
