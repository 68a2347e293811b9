# compile-time viper errors: loads need a typed pointer and an integer index
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    1[0]\n')
test('def f(p: ptr):\n    return p[0]\n')
test('def f(p: ptr8):\n    return p[None]\n')
