# viper bool: literals, comparisons, conditions and return
import micropython


@micropython.viper
def t(a: int, b: int) -> bool:
    return a < b


print(t(1, 2), t(2, 1))


@micropython.viper
def lit() -> bool:
    x = True
    y = False
    if x:
        return y
    return x


print(lit())


@micropython.viper
def from_obj(o) -> bool:
    return bool(o)


print(from_obj([]), from_obj([1]), from_obj(0), from_obj("x"), from_obj(None))


@micropython.viper
def b_arg(flag: bool) -> int:
    if flag:
        return 1
    return 0


print(b_arg(True), b_arg(False), b_arg([]), b_arg(5))
