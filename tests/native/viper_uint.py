# viper uint: unsigned words convert to non-negative ints
import micropython
import sys


@micropython.viper
def f(a: uint, b: uint) -> uint:
    return a - b


print(f(5, 3), f(3, 5) == (sys.maxsize * 2 + 1) - 1)


@micropython.viper
def big() -> uint:
    return uint(-1)


print(big() == sys.maxsize * 2 + 1)


@micropython.viper
def half(a: uint) -> uint:
    return a >> 1


print(half(uint(-2)) == sys.maxsize)
