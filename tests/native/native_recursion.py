# deep recursion in native code raises RuntimeError cleanly
import micropython


@micropython.native
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(20))


@micropython.native
def forever(n):
    return forever(n + 1)


try:
    forever(0)
except RuntimeError as e:
    print("RuntimeError", e)
print(fib(10))
