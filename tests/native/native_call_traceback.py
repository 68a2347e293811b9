# tracebacks through native frames entered directly from native code name
# every frame's line, as bytecode frames do
import micropython
import sys


def leaf(x):
    return x[5]


@micropython.native
def middle(x):
    y = x
    return leaf(y)


@micropython.native
def top(x):
    return middle(x) + 1


try:
    top([1, 2])
except IndexError as e:
    sys.print_exception(e)


@micropython.native
def reraise(x):
    try:
        return 1 // x
    except ZeroDivisionError:
        raise ValueError("zero")


@micropython.native
def caller(x):
    v = reraise(x)
    return v


try:
    caller(0)
except ValueError as e:
    sys.print_exception(e)
print(caller(1))
