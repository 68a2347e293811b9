# Printed exceptions read as MicroPython prints them: "Type: message", and
# "Type: " when there is none. Setting `__traceback__` to None clears the
# traceback but keeps its room, so raising the exception again records one
# under micropython.heap_lock().
import io
import sys
import micropython

for e in (ValueError(), ValueError("bad"), OSError(2), KeyError("k"), StopIteration(), ValueError(1, 2)):
    buf = io.StringIO()
    sys.print_exception(e, buf)
    print(repr(buf.getvalue()))

kept = StopIteration()
try:
    raise kept
except StopIteration:
    pass


def again():
    micropython.heap_lock()
    global kept
    kept.__traceback__ = None
    try:
        raise kept
    except StopIteration:
        print("StopIteration")
    micropython.heap_unlock()


again()
buf = io.StringIO()
sys.print_exception(kept, buf)
print(len(buf.getvalue().split("\n")), buf.getvalue().split("\n")[-2])


class Mine(Exception):
    pass


buf = io.StringIO()
sys.print_exception(Mine(), buf)
print(repr(buf.getvalue()))
