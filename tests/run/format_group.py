# thousands separators, big ints in format, %-0 flags, range attributes, __ne__
print("{:,}".format(1234567), "{:_}".format(-1234567), "{:_x}".format(0xabcdef12))
print("{:,}".format(10 ** 25), "{:x}".format(1 << 70), "{:>30,}".format(-(10 ** 20)))
for w in range(1, 9):
    print("{:0{}},".format(5, w), "{:0{},}".format(-5, w))
print("%d|%x" % (1 << 65, 1 << 65))
print(">%-06d<" % 42, ">%-+06d<" % 42, ">%0-6d<" % 42)
r = range(2, 20, 3)
print(r.start, r.stop, r.step, range(5).start)

class N:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        print("eq")
        return self.v == o.v
    def __ne__(self, o):
        print("ne")
        return self.v != o.v
a = N(1)
print(a == a, a != a, a != N(2))
class Plain:
    pass
p = Plain()
print(p == p, p != p, p in [p], p == Plain())
print(">%-08.4d<" % 12)
class I:
    def __int__(self):
        return 77
print("%d %x" % (I(), I()))
