# bare `raise` and `raise ... from ...` in native code (MicroPython's native
# emitter refuses both; ferropy runs them as bytecode would)
import micropython


@micropython.native
def reraise():
    try:
        [][1]
    except IndexError:
        print("re-raising")
        raise


try:
    reraise()
except IndexError as e:
    print("IndexError", e)


@micropython.native
def chained():
    try:
        {}["k"]
    except KeyError as e:
        raise ValueError("wrapped") from e


try:
    chained()
except ValueError as e:
    print("ValueError", e)


@micropython.native
def no_active():
    raise


try:
    no_active()
except RuntimeError as e:
    print("RuntimeError")
