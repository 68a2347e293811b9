# ptr32 loads and stores, results are zero-extended 32-bit values
import micropython
import array


@micropython.viper
def store(b, i: int, v: int):
    p = ptr32(b)
    p[i] = v


@micropython.viper
def load(b, i: int) -> int:
    p = ptr32(b)
    return p[i]


a = array.array("I", [0, 0, 0])
store(a, 0, 0x12345678)
store(a, 1, -1)
store(a, 2, 0x1_0000_0005)
print(a, load(a, 1), load(a, 2))
b = bytearray(8)
store(b, 1, 0x01020304)
print(b)
