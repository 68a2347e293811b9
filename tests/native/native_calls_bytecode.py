# native and bytecode functions call each other, with keywords and methods
import micropython


def bc(a, b=10):
    return a * b


@micropython.native
def nat(a, b=1):
    return bc(a, b=b) + bc(a)


def bc2(n):
    return [nat(i, 2) for i in range(n)]


print(nat(3), bc2(4))


class A:
    def __init__(self, v):
        self.v = v

    @micropython.native
    def get(self, k=1):
        return self.v * k

    def twice(self):
        return self.get(2)


a = A(21)
print(a.get(), a.twice(), A.get(a, 3))
@micropython.native
def neg(v):
    return -v


print(sorted([3, 1, 2], key=neg))
