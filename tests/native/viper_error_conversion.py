# compile-time viper errors: pointer constants and cast operators can't become objects
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    print(ptr(1))\n')
test('def f():\n    return int\n')
