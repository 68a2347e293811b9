# sys, gc, micropython, errno, time, io
import sys
print(sys.platform, sys.byteorder, type(sys.argv), type(sys.path), type(sys.modules))
print(sys.implementation.name, sys.version_info[0], sys.version.startswith("3.4.0"))
print(sys.implementation._mpy & 0xff)
print(sys.stdout.write("via stdout\n"))
sys.stdout.write("x")
sys.stdout.write("y\n")
try:
    sys.exit(3)
except SystemExit as e:
    print("SystemExit", e.args)
try:
    sys.exit()
except SystemExit as e:
    print("SystemExit", e.args)
try:
    raise ValueError("boom")
except ValueError as e:
    sys.print_exception(e)

import gc
gc.collect()
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
print(type(gc.mem_free()), type(gc.mem_alloc()), gc.mem_free() > 0, gc.mem_alloc() > 0)

import micropython
print(micropython.const(42), micropython.opt_level())
a = b = None  # bind the names first: storing a new global may need to grow the dict
micropython.heap_lock()
micropython.heap_lock()
a = micropython.heap_unlock()
b = micropython.heap_unlock()
print(a, b)

import errno
print(errno.ENOENT, errno.EINVAL, errno.errorcode[errno.EEXIST])

import time
t0 = time.ticks_ms()
time.sleep_ms(2)
print(time.ticks_diff(time.ticks_ms(), t0) >= 1)
print(time.ticks_add(100, 1), time.ticks_diff(5, 3), time.ticks_diff(3, 5))
print(time.time() > 1600000000)

import io
s = io.StringIO()
print(s.write("hello\n"), s.write("world\n"))
print(repr(s.getvalue()))
s.seek(0)
print(repr(s.readline()), repr(s.read()), s.tell())
s = io.StringIO("a\nbc\n")
print([l for l in s])
b = io.BytesIO(b"xyz")
print(b.read(2), b.read(), b.getvalue())
b.write(b"!!")
print(b.getvalue())
try:
    b.write(5)
except TypeError as e:
    print("TypeError", e)
s.close()
try:
    s.read()
except ValueError as e:
    print("ValueError", e)
import builtins
print(builtins.len("abc"))
