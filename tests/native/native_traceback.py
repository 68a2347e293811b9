# tracebacks through native functions name the right lines
import micropython
import sys


@micropython.native
def inner(x):
    y = x + 1
    return y / 0


@micropython.native
def outer():
    return inner(1)


try:
    outer()
except ZeroDivisionError as e:
    sys.print_exception(e)
