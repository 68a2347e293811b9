# the math and cmath modules
import math
import cmath
from math import sqrt, pi
def t(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

print(math.pi, math.e, math.tau, math.inf, math.nan, sqrt(16), pi)
print(math.sqrt(2), math.exp(1), math.log(10), math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.sin(0), math.cos(0), math.tan(1), math.asin(1), math.acos(0), math.atan(1), math.atan2(1, -1))
print(math.sinh(1), math.cosh(1), math.tanh(1), math.asinh(1), math.acosh(2), math.atanh(0.5))
print(math.floor(2.7), math.ceil(2.1), math.trunc(-2.7), math.floor(-0.5), math.ceil(1e20), type(math.floor(1.5)))
print(math.fabs(-3), math.copysign(2, -0.0), math.fmod(7, 3), math.fmod(-7, 3), math.pow(2, 10), math.pow(1, math.nan))
print(math.frexp(8.0), math.ldexp(0.5, 4), math.modf(2.5), math.modf(-2.5), math.modf(3.0))
print(math.degrees(math.pi), math.radians(180), math.isfinite(1.0), math.isinf(math.inf), math.isnan(math.nan))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(1.0, 1.05, rel_tol=0.1), math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.erf(0.5), math.erfc(0.5), math.gamma(5), math.lgamma(10), math.expm1(1e-10))
print(math.factorial(0), math.factorial(5), math.factorial(25))
print(cmath.pi, cmath.e, cmath.sqrt(-1), cmath.exp(1j * math.pi), cmath.log(1j), cmath.phase(-1))
print(cmath.polar(1j), cmath.rect(2, 0), cmath.cos(1j), cmath.sin(1 + 1j), cmath.log10(100))
print(math.__name__, cmath.__name__, type(math))
t(lambda: math.sqrt(-1))
t(lambda: math.log(0))
t(lambda: math.log(2, 1))
t(lambda: math.acos(2))
t(lambda: math.factorial(-1))
t(lambda: math.floor(math.inf))
t(lambda: math.exp(1000))
t(lambda: math.sqrt('x'))
t(lambda: math.gamma(-math.inf))
try:
    import nosuchmodule
except ImportError as e:
    print('ImportError', e)
