class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " makes a sound"
    def __str__(self):
        return "Animal(" + self.name + ")"
class Dog(Animal):
    def speak(self):
        return self.name + " barks"
class Puppy(Dog):
    def speak(self):
        return super().speak() + " softly"
p = Puppy("rex")
print(p.speak(), p.kind, str(p), isinstance(p, Animal), isinstance(p, int), issubclass(Puppy, Animal))
print(type(p) is Puppy, Puppy.__name__, hasattr(p, "name"), hasattr(p, "zz"), getattr(p, "zz", 5))
setattr(p, "age", 3)
print(p.age)
class A:
    def who(self):
        return "A"
class B:
    def who(self):
        return "B"
    def only_b(self):
        return "onlyB"
class C(A, B):
    pass
print(C().who(), C().only_b())
class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        return V(self.x + o.x)
    def __eq__(self, o):
        return self.x == o.x
    def __lt__(self, o):
        return self.x < o.x
    def __len__(self):
        return self.x
    def __repr__(self):
        return "V(%d)" % self.x
    def __getitem__(self, i):
        return i * self.x
print(V(1) + V(2), V(1) == V(1), V(1) == V(2), len(V(4)), V(3)[2], sorted([V(3), V(1)]))
class S:
    count = 0
    @staticmethod
    def st(x):
        return x * 2
    @classmethod
    def cm(cls):
        return cls.__name__
    @property
    def prop(self):
        return 42
print(S.st(4), S.cm(), S().prop, S().st(1))
try:
    p.nothing
except AttributeError as e:
    print(e)
