# super().method() on subclasses of built-in types acts on the native part;
# a built-in method called on the wrong kind of object says what it wanted.
class L(list):
    def append(self, x):
        super().append(x * 2)
    def extend(self, xs):
        for x in xs:
            self.append(x)
l = L([1])
l.append(3)
l.extend((4, 5))
print(l, len(l), l[1], isinstance(l, list))
class D(dict):
    def __setitem__(self, k, v):
        super().__setitem__(k, v + 1)
    def get(self, k, d=None):
        return super().get(k, d) or "none"
d = D()
d["a"] = 1
print(d, d.get("a"), d.get("b"))
class S(set):
    def add(self, x):
        super().add(-x)
s = S()
s.add(3)
print(s)
for call in (lambda: list.append(l, 5), lambda: list.append(5, 1), lambda: dict.get(l, 1), lambda: set.add({}, 1)):
    try:
        call()
    except TypeError as e:
        print("TypeError", e)
print(l)
