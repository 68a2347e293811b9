# compile-time viper errors: pointers don't convert to bool implicitly
import micropython


def test(src):
    try:
        exec("@micropython.viper\n" + src)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("compiled")


test('def f(p: ptr):\n    if p:\n        pass\n')
test('def f(p: ptr16):\n    while p:\n        pass\n')
