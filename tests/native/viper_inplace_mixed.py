# mixing int and uint: the result has the left operand's type
import micropython


@micropython.viper
def f(a: int, b: uint) -> int:
    a += int(b)
    return a - 1


@micropython.viper
def g(a: uint, b: int) -> uint:
    return a + uint(b)


print(f(10, 5), g(10, 5))
