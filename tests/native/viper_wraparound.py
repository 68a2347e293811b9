# int arithmetic wraps around the machine word (64-bit here)
import micropython
import sys


@micropython.viper
def add(a: int, b: int) -> int:
    return a + b


@micropython.viper
def mul(a: int, b: int) -> int:
    return a * b


M = sys.maxsize
print(add(M, 1) == -M - 1, add(-M - 1, -1) == M)
print(mul(M, 2) == -2, mul(2**32, 2**32))


@micropython.viper
def shl(a: int, n: int) -> int:
    return a << n


print(shl(1, 62) == 2**62, shl(1, 63) == -M - 1, shl(3, 63) == -M - 1)
