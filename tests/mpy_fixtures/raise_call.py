def f():
    raise ValueError("bad")
