# compile-time viper errors: unknown types
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(x: unknown_type): pass')
test('def f() -> vector: pass')
