# conditions on bool, int and uint values, and/or chains
import micropython


@micropython.viper
def f(a: int, b: uint, c: bool) -> int:
    r = 0
    if a:
        r += 1
    if b:
        r += 10
    if c:
        r += 100
    if a and b:
        r += 1000
    if not c:
        r += 10000
    return r


print(f(0, 0, False), f(1, 1, True), f(-1, 0, True))


@micropython.viper
def chain(x: int, y: int) -> bool:
    return 0 < x < y


print(chain(1, 2), chain(2, 1), chain(0, 5))
