# compile-time viper errors: // and % need an int left operand
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(x: uint, y: uint):\n    return x // y\n')
test('def f(x: uint, y: uint):\n    return x % y\n')
