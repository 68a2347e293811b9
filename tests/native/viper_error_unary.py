# compile-time viper errors: unary operators on unsupported types
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(x: ptr):\n    -x\n')
test('def f(x: bool):\n    ~x\n')
test('def f(x: int):\n    not x\n')
