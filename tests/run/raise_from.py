# raise ... from: the cause is dropped, with a warning unless it is None
try:
    raise KeyError("k") from None
except KeyError as e:
    print("caught", e.args)
try:
    try:
        1 / 0
    except ZeroDivisionError as exc:
        raise ValueError("v") from exc
except ValueError as e:
    print("caught", e.args)
# a class whose __new__ returns a non-exception can't be raised or thrown
class Odd(BaseException):
    def __new__(cls, *args):
        return 5
def gen():
    yield
for thrower in (lambda: gen().throw(Odd), lambda: gen().send(None) or None):
    try:
        thrower()
        print("no error")
    except TypeError as e:
        print("TypeError", e)
try:
    raise Odd
except TypeError as e:
    print("TypeError", e)
