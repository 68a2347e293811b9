# strings, f-strings, formatting and slicing in native code
import micropython


@micropython.native
def f(name, n):
    s = f"{name}:{n:>4}|{n!r}"
    return s, s[1:4], "%s-%d" % (name, n), "{}/{}".format(n, name), name * 2


print(f("ab", 7))
