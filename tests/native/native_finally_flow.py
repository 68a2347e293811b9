# return, break and continue leaving try/finally blocks in native code
import micropython


@micropython.native
def f():
    out = []
    for i in range(4):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    try:
        try:
            return out
        finally:
            out.append("inner")
    finally:
        out.append("outer")


print(f())


@micropython.native
def override():
    try:
        return 1
    finally:
        return 2


print(override())
