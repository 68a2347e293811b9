# Boxing and unboxing at the edges of the small-int range (values that fit a
# small int are converted inline, the others by the runtime), bools, and
# casts of objects that are not small ints.
import micropython


@micropython.viper
def b_int(x: int) -> int:
    return x


@micropython.viper
def b_uint(x: uint) -> uint:
    return x


@micropython.viper
def b_bool(x: bool) -> bool:
    return x


@micropython.viper
def add(x: int, y: int) -> int:
    return x + y


@micropython.viper
def cast(o) -> int:
    return int(o) + 1


@micropython.viper
def ucast(o) -> uint:
    return uint(o)


@micropython.viper
def fib(n: int) -> int:
    if n < 2:
        return n
    return int(fib(n - 1)) + int(fib(n - 2))


for v in (0, 1, -1, 2**30 - 1, 2**30, -(2**30), -(2**30) - 1, 2**31 - 2, -(2**31)):
    print(v, b_int(v), add(v, 0), add(v, 1) - v, cast(v))
for v in (0, 1, 2**30 - 1, 2**30, 2**31, 2**32 - 1):
    print(v, b_uint(v), ucast(v))
print(b_bool(True), b_bool(False), b_bool(0), b_bool(5), b_bool([]), b_bool([1]))
print(cast(True), cast(False), fib(20))
for bad in ("x", 1.5, None):
    try:
        cast(bad)
    except TypeError as e:
        print("TypeError", e)
