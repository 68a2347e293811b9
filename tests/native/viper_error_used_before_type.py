# compile-time viper errors: a local read before its type is known
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    print(x)\n    x = 1\n')
