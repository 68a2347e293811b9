x: int = 5
y: str
def f():
    z: int = 1
    return z
