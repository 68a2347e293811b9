def f():
    def g():
        global y
        y = 2
    return g
