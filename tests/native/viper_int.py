# viper int: signed machine words, arithmetic and conversion at the boundary
import micropython


@micropython.viper
def f(a: int, b: int) -> int:
    return a * b - a + b


print(f(3, 4), f(-3, 4), f(0, 0), f(100000, 100000))


@micropython.viper
def neg(a: int) -> int:
    return -a


print(neg(5), neg(-5), neg(0))


@micropython.viper
def inv(a: int) -> int:
    return ~a


print(inv(0), inv(-1), inv(5))
