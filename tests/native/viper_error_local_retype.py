# compile-time viper errors: a local's type is fixed by its first assignment
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    x = 1\n    x = []\n')
test('def f(a: uint):\n    a = 1\n')
test('def f():\n    x = ptr8(0)\n    x = 0\n')
