# exceptions raised, caught and passed through native frames
import micropython


@micropython.native
def raiser(x):
    if x:
        raise ValueError("bad %d" % x)
    return x


@micropython.native
def catcher(x):
    try:
        return raiser(x)
    except ValueError as e:
        return "caught " + str(e)
    finally:
        print("finally", x)


print(catcher(0))
print(catcher(3))


def bytecode_caller():
    try:
        raiser(7)
    except ValueError as e:
        print("bytecode caught", e)


bytecode_caller()


@micropython.native
def nested():
    try:
        try:
            1 / 0
        except ZeroDivisionError:
            raise KeyError("k")
    except KeyError as e:
        print("outer got", repr(e))


nested()


@micropython.native
def reraise():
    try:
        [][1]
    except IndexError as e:
        print("re-raising")
        raise e


try:
    reraise()
except IndexError as e:
    print("IndexError", e)
