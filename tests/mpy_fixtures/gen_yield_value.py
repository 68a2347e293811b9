def g():
    x = yield
    y = yield x
    return y
