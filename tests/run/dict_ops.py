d = {"one": 1, "two": 2}
d["three"] = 3
print(d, len(d), d["two"], "one" in d, "four" in d)
print(sorted(d.keys()), sorted(d.values()), sorted(d.items()))
print(d.get("x"), d.get("x", 0), d.pop("one"), d)
del d["two"]
print(d, {i: i * i for i in range(4)})
e = dict(a=1, b=2)
e.update({"c": 3})
print(sorted(e.items()), e.setdefault("d", 4), e["d"])
try:
    e["zz"]
except KeyError as err:
    print("KeyError", err)
n = {}
for i in range(20):
    n[i] = str(i)
print(n[13], len(n))
for k in {"x": 1, "y": 2}:
    print(k, end=" ")
print()
