# help(obj): the object, its type, and the names it holds
help(len)
help(int)
help(5)


class Shape:
    sides = 4

    @staticmethod
    def make():
        pass

    @classmethod
    def build(cls):
        pass


print(Shape.__dict__["make"], Shape.__dict__["build"])
print(int.from_bytes(b"\x01\x02", "little"))


class MyInt(int):
    pass


print(MyInt.from_bytes(b"\x05", "big"))
