def g():
    yield from range(3)
    r = yield from other()
