# return conversions for every type, and None returned from typed functions
import micropython


@micropython.viper
def ri() -> int:
    return -3


@micropython.viper
def ru() -> uint:
    return uint(3)


@micropython.viper
def rb() -> bool:
    return 1 == 1


@micropython.viper
def rp(b) -> ptr8:
    return ptr8(b)


@micropython.viper
def rn() -> int:
    return


@micropython.viper
def ro():
    pass


print(ri(), ru(), rb(), type(rp(b"x")) is int, rn(), ro())
