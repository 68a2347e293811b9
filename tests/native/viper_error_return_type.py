# compile-time viper errors: returned values must match the declared type
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f() -> int:\n    return []\n')
test('def f() -> uint:\n    return 1\n')
test('def f(x: int):\n    return x\n')
