# ** with mappings that are not dicts, bad keyword keys, duplicates
def show(**kw):
    print(sorted(kw.items()))

class Map:
    def keys(self):
        return ["x", "long_keyword_name_here"]
    def __getitem__(self, k):
        return len(k)

show(**Map())
show(a=1, **Map())
try:
    show(**{1: 2})
except TypeError:
    print("TypeError keys")
try:
    show(**{"a": 1}, **{"a": 2})
except TypeError:
    print("TypeError dup")
try:
    range(stop=3)
except TypeError:
    print("TypeError range")
print(list(enumerate(iterable="ab", start=3)), list(enumerate(iterable="c")))
