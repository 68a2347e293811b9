# ptr8 loads and stores: zero extension, truncation, variable and constant indices
import micropython


@micropython.viper
def store(b, i: int, v: int):
    p = ptr8(b)
    p[i] = v


@micropython.viper
def load(b, i: int) -> int:
    p = ptr8(b)
    return p[i]


buf = bytearray(4)
store(buf, 0, 255)
store(buf, 1, 256 + 7)
store(buf, 2, -1)
print(buf, load(buf, 0), load(buf, 2))


@micropython.viper
def consts(b):
    p = ptr8(b)
    p[3] = p[0] - 5
    p[1] = 0


consts(buf)
print(buf)
