# reading a local before assignment in native code raises the usual errors
import micropython


@micropython.native
def f(flag):
    if flag:
        x = 1
    return x


print(f(True))
try:
    f(False)
except NameError as e:
    print(type(e).__name__)


@micropython.native
def g():
    y = 1
    del y
    return y


try:
    g()
except NameError as e:
    print(type(e).__name__)
