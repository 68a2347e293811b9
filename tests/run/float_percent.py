# printf-style float conversions
x = 1234.5678
for fmt in ("%f", "%.2f", "%10.3f", "%-10.1f|", "%+.1e", "%E", "%g", "%.3G", "%#.3g", "%010.2f", "% .2f"):
    print(fmt, fmt % x, fmt % -x)
print("%f %e %g" % (1, 2, True))
print("%.2f" % 8.888e32, "%.1f" % -2.5e40, "%5.1f%%" % 99.44)
print("%f|%5f|%-6e|%08.2f" % (float("inf"), float("-inf"), float("nan"), float("inf")))
print("%d %i %u" % (3.9, -3.9, 2.0))
for bad in (float("nan"), float("inf")):
    try:
        "%d" % bad
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
try:
    "%f" % "text"
except TypeError as e:
    print("TypeError", e)

# format() of ints with float types, 'n' for floats
print("{:.1e} {:.2f} {:g} {:%}".format(13, 7, 10**20, 1))
print("{:10.4n}|{:n}".format(123.456, 0.5))
print("{:.2f}".format(1e30), "{:+.3f}".format(2e28))

# float() of buffers and with underscores
print(float(bytearray(b"1.25")), float(memoryview(b"-3")), float("1_000.5"), float("1e1_0"))
print(float("9" * 30), 0.1 + 0.2)

# nan is never equal to itself, even the same object
n = float("nan")
print(n == n, n != n, [n] == [n], n in [n], {n: 1}[n])

# complex() and cmath use __complex__ / __float__
import cmath


class C:
    def __complex__(self):
        return complex(3, 4)


class F:
    def __float__(self):
        return 2.5


print(complex(C()), complex(F()), abs(cmath.sqrt(C())) > 0, cmath.phase(F()))

# struct's half-precision floats
import struct

for v in (1.5, -0.25, 65504.0, 1e-7):
    b = struct.pack("<e", v)
    print(v, b, struct.unpack("<e", b)[0], struct.unpack(">e", struct.pack(">e", v))[0])
