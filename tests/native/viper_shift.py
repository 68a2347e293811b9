# >> is arithmetic for int and logical for uint; << the same for both
import micropython


@micropython.viper
def sr(a: int, n: int) -> int:
    return a >> n


@micropython.viper
def ur(a: uint, n: uint) -> uint:
    return a >> n


@micropython.viper
def ul(a: uint, n: uint) -> uint:
    return a << n


print(sr(-16, 2), sr(16, 2), sr(-1, 10))
print(ur(uint(-16), 60), ur(16, 2))
print(ul(1, 4), ul(3, 2))
