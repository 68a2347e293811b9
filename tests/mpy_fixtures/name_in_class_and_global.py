x = 1
class A:
    x = x + 1
    def f(self):
        return x
