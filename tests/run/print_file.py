# print(file=...): only built-in streams are accepted, as in MicroPython
import sys, io
s = io.StringIO()
print("to", "stringio", file=s)
print(repr(s.getvalue()))
b = io.BytesIO()
print("to bytesio", file=b)
print(b.getvalue())
print("to stdout", file=sys.stdout)
try:
    print("explicit None", file=None)
except OSError as e:
    print("OSError", e)
for bad in (42, "str", [1]):
    try:
        print("x", file=bad)
    except Exception as e:
        print(type(e).__name__, e)
class C:
    def write(self, t):
        pass
try:
    print("x", file=C())
except Exception as e:
    print(type(e).__name__, e)
