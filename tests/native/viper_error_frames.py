# The traceback of a viper compile error: the line MicroPython reports (the
# statement of a block of several that found it, else the definition) and
# the function compiled.
import io
import sys


def show(src):
    try:
        exec(src)
    except Exception as e:
        buf = io.StringIO()
        sys.print_exception(e, buf)
        print(buf.getvalue().strip())


# A viper loop test (after the body) belongs to the `for` statement.
show(
    "import micropython\n"
    "@micropython.viper\n"
    "def v(buf):\n"
    "    p = ptr8(buf)\n"
    "    m = 0\n"
    "    for i in range(len(buf)):\n"
    "        m = p[i]\n"
    "        m += 1\n"
    "    return m\n"
)
show("import micropython\n@micropython.viper\ndef w(x: int):\n    y = x\n    if x:\n        y = []\n")
# A body of one statement claims nothing: the error is the definition's.
show("import micropython\n\n@micropython.viper\ndef u(x: int):\n    x = []\n")
show("import micropython\n@micropython.viper\ndef t(x: int):\n    while x:\n        x = []\n")
