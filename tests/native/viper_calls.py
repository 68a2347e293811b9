# viper functions calling viper functions, with typed arguments and results
import micropython


@micropython.viper
def sq(x: int) -> int:
    return x * x


@micropython.viper
def sum_sq(n: int) -> int:
    s = 0
    for i in range(n):
        s += int(sq(i))
    return s


print(sum_sq(10))


@micropython.viper
def rec(n: int) -> int:
    if n <= 1:
        return 1
    return n * int(rec(n - 1))


print(rec(10))
