# compile-time viper errors: binary operators between incompatible types
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    1 + []\n')
test('def f(x: int, y: bool):\n    x + y\n')
test('def f(p: ptr8):\n    p + 1\n')
