class MyError(Exception):
    pass
class Sub(MyError):
    def __init__(self, v):
        super().__init__("sub", v)
        self.v = v
def risky(n):
    if n == 0:
        raise MyError("zero")
    if n == 1:
        raise Sub(7)
    return n
for n in range(3):
    try:
        print(risky(n))
    except Sub as e:
        print("Sub", e.v, e.args)
    except MyError as e:
        print("MyError", e)
    else:
        print("no error")
    finally:
        print("finally", n)
try:
    try:
        1 / 0 if False else [][1]
    except IndexError:
        print("inner")
        raise
except LookupError as e:
    print("outer", type(e).__name__, e)
try:
    raise ValueError
except (TypeError, ValueError) as e:
    print("tuple match", repr(e))
def f():
    try:
        return "try"
    finally:
        print("cleanup")
print(f())
def g():
    for i in range(3):
        try:
            continue
        finally:
            print("g", i)
g()
try:
    raise RuntimeError("x", 1)
except Exception as e:
    print(e, repr(e))
e = ValueError("m")
print(str(e), repr(e), e.args)
try:
    assert 1 == 2, "assert msg"
except AssertionError as e:
    print("assert", e)
