# viper pointers into memoryview slices and array elements
import micropython
import array


@micropython.viper
def inc_all(m, n: int):
    p = ptr8(m)
    for i in range(n):
        p[i] += 1


b = bytearray(b"\x00\x01\x02\x03\x04\x05")
inc_all(memoryview(b)[2:], 3)
print(b)
a = array.array("b", [1, 2, 3])
inc_all(a, 3)
print(a)
