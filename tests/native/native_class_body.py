# classes and comprehensions defined inside native functions
import micropython


@micropython.native
def make():
    class P:
        def __init__(self, x):
            self.x = x

        def __repr__(self):
            return "P(%d)" % self.x

    return [P(i) for i in range(3)], {i: i * i for i in range(3)}, {i % 2 for i in range(5)}


print(make())
