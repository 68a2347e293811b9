def f():
    raise ValueError
