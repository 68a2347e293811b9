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


# parameters are bound on entry, unless the function deletes them
@micropython.native
def h(a, *args, b=2, **kw):
    del a
    return a


try:
    h(1)
except NameError as e:
    print(type(e).__name__)


@micropython.native
def k(e, n):
    try:
        raise ValueError(n)
    except ValueError as e:
        pass
    return e


try:
    k(1, 2)
except NameError as e:
    print(type(e).__name__)


@micropython.native
def params(a, *args, b=2, **kw):
    return a, args, b, kw


print(params(1, 2, 3, b=4, c=5))


# locals bound on some paths only: loops, deletes in finally blocks and handlers
@micropython.native
def flows(n):
    out = []
    for i in range(n):
        if i == 1:
            y = i
        try:
            out.append(y)
        except NameError:
            out.append("unbound")
        if i == 2:
            del y
    for i in range(2):
        try:
            x = i
            if i:
                break
        finally:
            if i:
                del x
    try:
        out.append(x)
    except NameError:
        out.append("x unbound")
    try:
        z = 1
        raise ValueError
    except ValueError:
        del z
    try:
        out.append(z)
    except NameError:
        out.append("z unbound")
    while n:
        n -= 1
        if n == 1:
            w = n
    out.append(w)
    return out


print(flows(4))
