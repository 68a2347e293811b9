# Recursive calls: fib(25) computed twice.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


total = 0
for _ in range(2):
    total += fib(25)
print("fib", total)
