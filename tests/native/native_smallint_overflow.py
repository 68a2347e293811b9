# small-int fast paths overflow into big ints and fall back for other types
import micropython


@micropython.native
def add(a, b):
    return a + b


@micropython.native
def sub(a, b):
    return a - b


@micropython.native
def lt(a, b):
    return a < b


print(add(1073741823, 1), sub(-1073741824, 1))
print(add(2**40, 1), add(1.5, 2), add("x", "y"), add([1], [2]))
print(lt(1, 2), lt(2, 1), lt(-5, 3), lt(1.5, 1), lt("a", "b"))
x = 0
for i in range(1000):
    x = add(x, 1 << 20)
print(x)
