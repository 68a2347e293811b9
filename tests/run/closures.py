def make_counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c = make_counter()
print(c(), c(), c(5))
def adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([a(10) for a in adders()])
def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle
print(outer(1)(2)(3))
x = 10
def read_global():
    return x
def write_global():
    global x
    x = 20
write_global()
print(read_global())
