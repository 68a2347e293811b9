def f():
    import sys
    from os import sep
    return sys, sep
