# compile-time viper errors: annotations must be identifiers
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(a: 1): pass')
test('def f() -> 1: pass')
