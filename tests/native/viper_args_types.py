# typed arguments convert at entry; wrong types raise TypeError
import micropython


@micropython.viper
def f(a: int, b: uint, c: bool, d: ptr8, e) -> int:
    return a + int(b) + int(c) + d[0] + int(len(e))


print(f(1, 2, True, b"\x04", "abcde"))
try:
    f("x", 2, True, b"\x04", "")
except TypeError:
    print("TypeError")
try:
    f(1, 2)
except TypeError:
    print("TypeError args")
