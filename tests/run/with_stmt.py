class CM:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        print("enter", self.name)
        return self.name
    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None)
        return self.swallow
with CM("a") as n:
    print("body", n)
with CM("b", True):
    raise ValueError("x")
try:
    with CM("c"):
        raise KeyError("k")
except KeyError:
    print("propagated")
def f():
    with CM("d"):
        return "ret"
print(f())
for i in range(3):
    with CM(str(i)):
        if i == 1:
            break
with CM("x") as a, CM("y") as b:
    print(a, b)
