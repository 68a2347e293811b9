# exceptions in viper code: raise, try/except/finally, and errors in helpers
import micropython


@micropython.viper
def f(x: int) -> int:
    try:
        if x < 0:
            raise ValueError("negative")
        if x == 0:
            raise ZeroDivisionError
        return 10 // x
    except ZeroDivisionError:
        return -1
    finally:
        print("finally", x)


print(f(3), f(0))
try:
    f(-1)
except ValueError as e:
    print("ValueError", e)


@micropython.viper
def conv(o) -> int:
    return int(o)


try:
    conv("nope")
except TypeError:
    print("TypeError")
