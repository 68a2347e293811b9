# ptr casts of buffers: bytearray, bytes, array and memoryview
import micropython
import array


@micropython.viper
def first_byte(b) -> int:
    p = ptr8(b)
    return p[0]


print(first_byte(b"\x07abc"), first_byte(bytearray(b"\x09")), first_byte(array.array("B", [200])))
print(first_byte(memoryview(b"xyz")[1:]))


@micropython.viper
def addr_equal(b) -> bool:
    return uint(ptr(b)) == uint(ptr8(b))


print(addr_equal(bytearray(4)))


@micropython.viper
def as_int(b) -> int:
    return int(ptr8(b)) - int(ptr8(b))


print(as_int(bytearray(4)))
