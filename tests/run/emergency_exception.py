# With the heap locked (or exhausted), a built-in exception is still raised,
# as MicroPython's emergency exception: one argument is kept, more are
# dropped, messages are kept (cut when very long) and the traceback has room.
import micropython, sys, io

try:
    micropython.alloc_emergency_exception_buf(256)
except AttributeError:
    pass


def attempt(what):
    micropython.heap_lock()
    try:
        what()
        caught = None
    except Exception as e:
        caught = e
    micropython.heap_unlock()
    return caught


def one_arg():
    raise ValueError(42)


def three_args():
    raise ValueError(1, 2, 3)


def no_kwargs():
    pass


# A call with a 240-character keyword name (made before the heap is locked).
exec("def long_keyword():\n    no_kwargs(" + "k" * 240 + "=1)")

e = attempt(one_arg)
print(type(e).__name__, e.args)
buf = io.StringIO()
sys.print_exception(e, buf)
print([l.split(",")[1:] for l in buf.getvalue().split("\n") if l.startswith("  File")])

e = attempt(three_args)
print(type(e).__name__, e.args)

e = attempt(lambda: undefined_name)
print(type(e).__name__, e)

e = attempt(long_keyword)
print(type(e).__name__, len(str(e)) <= 255, str(e)[:30])

e = attempt(lambda: 1 // 0)
print(type(e).__name__, e)
