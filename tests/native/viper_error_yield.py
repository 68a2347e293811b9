# compile-time viper errors: viper functions can't be generators
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    yield\n')
test('def f():\n    yield from f\n')
