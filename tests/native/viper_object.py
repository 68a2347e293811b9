# viper object: unannotated and object-typed values are Python objects
import micropython


@micropython.viper
def f(a: object, b) -> object:
    return a + b


print(f(1, 2), f("a", "b"), f([1], [2]))


@micropython.viper
def g(x):
    y = x
    y = [x, x]
    return y


print(g(3))
