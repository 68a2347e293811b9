# compile-time viper errors: stores need a typed pointer, an integer index and an integer value
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    1[0] = 1\n')
test('def f(x: int):\n    x[0] = x\n')
test('def f(p: ptr32):\n    p[0] = None\n')
test('def f(p: ptr32):\n    p[p] = 1\n')
