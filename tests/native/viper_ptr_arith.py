# pointer arithmetic: offsetting a ptr8 and reading through the new pointer
import micropython


@micropython.viper
def tail_sum(b, start: int, n: int) -> int:
    p = ptr8(uint(ptr8(b)) + start)
    s = 0
    for i in range(n):
        s += p[i]
    return s


print(tail_sum(b"\x01\x02\x03\x04\x05", 2, 3))
