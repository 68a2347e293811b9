# int(), uint() and bool() casts of objects and native values
import micropython


@micropython.viper
def f(x) -> int:
    return int(x) + 1


print(f(41), f(-1), f(True), f(2**40))


@micropython.viper
def g(x: int) -> int:
    u = uint(x)
    return int(u >> 60)


print(g(-1), g(1))


@micropython.viper
def h(x: int) -> bool:
    return bool(x)


print(h(0), h(7))
try:
    f("a")
except TypeError:
    print("TypeError")
