# Method calls and attribute access on instances of user classes.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


class Counter:
    def __init__(self):
        self.n = 0

    def bump(self, k):
        self.n = (self.n + k) & 0xFFFF
        return self.n


def run(n):
    c = Counter()
    v = Vec(1, 2)
    w = Vec(3, -1)
    s = 0
    for i in range(n):
        s = (s + c.bump(i) + v.dot(w)) & 0xFFFFFF
        if i % 64 == 0:
            v = v.add(w)
            v.x &= 0xFF
            v.y &= 0xFF
    return s


print("methods", run(180000))
