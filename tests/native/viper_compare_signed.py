# comparisons of int are signed, of uint unsigned
import micropython


@micropython.viper
def s(a: int, b: int):
    return (a < b, a > b, a == b, a <= b, a >= b, a != b)


@micropython.viper
def u(a: uint, b: uint):
    return (a < b, a > b, a == b, a <= b, a >= b, a != b)


print(s(-1, 1))
print(u(uint(-1), uint(1)))
print(s(5, 5), u(5, 5))
print(s(2, -3), u(2, 3))
