# compile-time viper errors: operators viper does not implement on words
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(x: int):\n    return x / 2\n')
test('def f(x: int):\n    return x ** 2\n')
test('def f(x: int):\n    return x in x\n')
