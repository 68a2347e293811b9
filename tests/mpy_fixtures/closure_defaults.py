def outer():
    y = 2
    def inner(a=1):
        return a + y
    return inner
