# & | ^ on int and uint, with in-place forms
import micropython


@micropython.viper
def f(a: int, b: int) -> int:
    x = a & b
    x |= 0x100
    x ^= b
    return x


print(f(0xF0, 0x3C), f(-1, 5))


@micropython.viper
def g(a: uint) -> uint:
    a &= 0xFF
    a |= 0x1000
    return a ^ 1


print(g(0x1234))
