# index with bounds, hash(None), reversed on user sequences
a = [1, 2, 3, 1, 2]
print(a.index(1, 1), a.index(2, -2), a.index(1, False), (5, 6, 5).index(5, 1))
for args in ((1, 1, 3), (3, 0, 2), (2, 10)):
    try:
        print(a.index(*args))
    except ValueError:
        print("ValueError", args)
print(type(hash(None)), {None: 1}[None], None in {None})

class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return i * 10
print(list(reversed(Seq())))
class Rev:
    def __reversed__(self):
        return "custom"
print(reversed(Rev()))
