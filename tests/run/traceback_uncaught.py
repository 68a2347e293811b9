def a():
    b()
def b():
    raise ValueError("deep error")
print("start")
a()
