# compile-time viper errors: int and uint don't compare
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(x: int, y: uint):\n    x < y\n')
test('def f(x: uint, y: int):\n    return x == y\n')
