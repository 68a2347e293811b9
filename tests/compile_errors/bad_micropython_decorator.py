import micropython
@micropython.foo
def f():
    pass
