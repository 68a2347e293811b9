# Generator pipelines: chained generators, a generator expression and sum().
def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def squares(it):
    for x in it:
        yield x * x & 0xFFFF


def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


def run(n):
    total = 0
    for x in evens(squares(numbers(n))):
        total = (total + x) & 0xFFFFFF
    total += sum(y for y in range(n) if y % 3 == 0) & 0xFFFF
    return total


print("generators", run(200000))
