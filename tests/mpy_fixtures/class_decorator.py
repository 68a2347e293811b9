def d(c):
    return c
@d
class A:
    pass
