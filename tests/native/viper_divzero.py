# viper // and % by zero raise ZeroDivisionError (MicroPython's viper
# crashes with SIGFPE here; ferropy checks)
import micropython


@micropython.viper
def d(a: int, b: int) -> int:
    return a // b


@micropython.viper
def m(a: int, b: int) -> int:
    return a % b


for f in (d, m):
    try:
        f(1, 0)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
print(d(7, 2), m(7, 2))
