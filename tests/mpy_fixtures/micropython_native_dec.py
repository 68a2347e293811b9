import micropython
@micropython.bytecode
def f():
    return 1
