# The traceback of a compile error: the line of the statement that found it
# and, for errors of the compiler (not of the parser), the scope compiled.
import io
import sys


def show(src):
    try:
        exec(src)
    except Exception as e:
        buf = io.StringIO()
        sys.print_exception(e, buf)
        print(buf.getvalue().strip())


show("x = 1\nreturn 5\n")
show("def f():\n    y = 2\n    nonlocal q\n")
show("class C:\n    x = 1\n    return 2\n")
show("x = (\n")
show("def g():\n    return lambda: (yield from 1)\n")
show("def h():\n    await x\n")
