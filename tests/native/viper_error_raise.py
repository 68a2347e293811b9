# compile-time viper errors: only objects can be raised; bare raise and raise-from are not supported
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f():\n    raise 1\n')
test('def f():\n    try:\n        x\n    except:\n        raise\n')
test('def f():\n    raise Exception from Exception\n')
