# ptr16 loads and stores over bytearray and array('H')
import micropython
import array


@micropython.viper
def fill(b, n: int):
    p = ptr16(b)
    for i in range(n):
        p[i] = 0x1234 + i * 0x1111
    p[0] = 0x1FFFF


@micropython.viper
def total(b, n: int) -> int:
    p = ptr16(b)
    s = 0
    for i in range(n):
        s += p[i]
    return s


a = array.array("H", [0, 0, 0, 0])
fill(a, 4)
print(a, total(a, 4))
b = bytearray(4)
fill(b, 2)
print(b)
