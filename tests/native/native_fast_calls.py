# calls from native code to native functions (the direct path) and to
# everything that must still take the general call path
import micropython
import gc


@micropython.native
def add(a, b):
    return a + b


@micropython.native
def twice(f, x):
    return f(f(x, x), x)


print(twice(add, 3))


# mutual recursion between native functions
@micropython.native
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@micropython.native
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


print(is_even(100), is_odd(77), is_even(7))


# a native callee redefined at run time: each call looks the name up again
@micropython.native
def target(x):
    return x + 1


@micropython.native
def call_target(x):
    return target(x)


print(call_target(1))


@micropython.native
def target(x):
    return x * 100


print(call_target(2))


def target(x):
    return "bytecode " + str(x)


print(call_target(3))
target = len
print(call_target("four"))


class Box:
    def __init__(self, v):
        self.v = v


target = Box
print(call_target(5).v)


# native methods called through CALL_METHOD
class Acc:
    def __init__(self):
        self.total = 0

    @micropython.native
    def add(self, x):
        self.total += x
        return self

    @micropython.native
    def add_all(self, n):
        for i in range(n):
            self.add(i)
        return self.total


print(Acc().add_all(10))


# an exception raised in a native callee, handled in the callee
@micropython.native
def safe_div(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return None


@micropython.native
def divs(n):
    out = []
    for i in range(-1, n):
        out.append(safe_div(n, i))
    return out


print(divs(4))


# native -> native -> bytecode, the exception passing through both native frames
def bytecode_fail(x):
    raise ValueError("bad " + str(x))


@micropython.native
def middle(x):
    return bytecode_fail(x) + 1


@micropython.native
def outer(x):
    try:
        return middle(x)
    except ValueError as e:
        return "caught " + str(e)


print(outer(7))


@micropython.native
def no_catch(x):
    return middle(x)


try:
    no_catch(8)
except ValueError as e:
    print("outside", e)


# an exception raised in a native callee and caught by a native caller
@micropython.native
def raiser(x):
    if x > 2:
        raise KeyError(x)
    return x


@micropython.native
def collect(n):
    got = []
    for i in range(n):
        try:
            got.append(raiser(i))
        except KeyError as e:
            got.append(-i)
    return got


print(collect(5))


# wrong argument counts, defaults, keywords, *args: the general path
@micropython.native
def two(a, b):
    return (a, b)


@micropython.native
def with_default(a, b=10):
    return a + b


@micropython.native
def varargs(*a):
    return len(a)


@micropython.native
def calls():
    out = [two(1, 2), with_default(1), with_default(1, 2), two(b=3, a=4), varargs(1, 2, 3)]
    try:
        two(1)
    except TypeError:
        out.append("TypeError")
    try:
        two(1, 2, 3)
    except TypeError:
        out.append("TypeError")
    return out


print(calls())


# native generators and closures called from native code
@micropython.native
def gen(n):
    for i in range(n):
        yield i * i


@micropython.native
def make_adder(k):
    def adder(x):
        return x + k

    return adder


@micropython.native
def use_gen_and_closure():
    a = make_adder(5)
    return [a(x) for x in gen(4)]


print(use_gen_and_closure())


# viper callees with typed arguments
@micropython.viper
def vsum(a: int, b: int) -> int:
    return a + b


@micropython.native
def call_viper(n):
    t = 0
    for i in range(n):
        t = vsum(t, i)
    return t


print(call_viper(10))


# objects held only by native frames survive collections in callees
@micropython.native
def churn(n):
    gc.collect()
    return [n] * 3


@micropython.native
def hold(n):
    keep = [str(i) * 2 for i in range(n)]
    if n == 0:
        return [churn(0)]
    inner = hold(n - 1)
    inner.append(keep[-1])
    return inner


print(hold(4))


# deep native recursion raises RuntimeError and the VM goes on
@micropython.native
def down(n):
    return down(n + 1) + 1


@micropython.native
def guarded():
    try:
        down(0)
    except RuntimeError as e:
        return "RuntimeError " + str(e)


print(guarded())
print(is_even(50))
