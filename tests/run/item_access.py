# Item loads and stores of lists, tuples and bytearrays inside functions (the
# dispatch loop's fast path) and every case it hands to the general path.


def loads(seq):
    out = []
    for i in range(-len(seq), len(seq)):
        out.append(seq[i])
    return out


def stores(seq, values):
    for i in range(len(seq)):
        seq[i] = values[i]
    seq[-1] = values[0]
    return seq


print(loads([10, "a", None, 3.5]))
print(loads((1, (2, 3), "x")))
print(loads(bytearray(b"\x00\x7f\xff")))
print(stores([0, 0, 0], ["p", 2, [3]]))
print(stores(bytearray(3), [255, 0, 7]))


def bad_load(seq, i):
    try:
        return seq[i]
    except Exception as e:
        return type(e).__name__ + ": " + str(e)


def bad_store(seq, i, v):
    try:
        seq[i] = v
        return seq
    except Exception as e:
        return type(e).__name__ + ": " + str(e)


print(bad_load([1, 2], 2), bad_load([1, 2], -3), bad_load((), 0), bad_load(bytearray(2), 5))
print(bad_load([1, 2], "0"), bad_load([1, 2], 1.0))
print(bad_load([1, 2], True), bad_load((7, 8), False), bad_load([1, 2], 1 << 40))
print(bad_store([1, 2], 2, 0), bad_store([1, 2], -3, 0), bad_store((1, 2), 0, 5))
print(bad_store(bytearray(2), 0, 256), bad_store(bytearray(2), 0, -1), bad_store(bytearray(2), 0, "a"))
print(bad_store(bytearray(2), 1, True), bad_store([0], False, "f"))


class L(list):
    def __getitem__(self, i):
        return ("sub", i)

    def __setitem__(self, i, v):
        print("set", i, v)


l = L([1, 2])
print(l[0], l[-1])
l[0] = 9
print(list(l))


class T(tuple):
    pass


print(T((4, 5))[1], bytes(b"ab")[1], "xyz"[1], range(10)[3], memoryview(b"mv")[0])

# A stored item is the only reference left to an object: it stays alive.
import gc

keep = [None]
keep[0] = [1, 2, 3]
gc.collect()
print(keep[0], keep[-1][2])


# `del seq[i]` is STORE_SUBSCR of NULL: never a store.
def deletes():
    l = [1, 2, 3]
    del l[0]
    del l[-1]
    ba = bytearray(b"abc")
    try:
        del ba[1]
    except TypeError as e:
        print("TypeError", e)
    d = {"k": 1, "j": 2}
    del d["k"]
    d["j"] = 3
    d["new"] = 4
    print(l, ba, d["j"], d["new"], len(d), "k" in d, d.get("k"))
    try:
        del l[5]
    except IndexError as e:
        print("IndexError", e)
    try:
        print(d["k"])
    except KeyError as e:
        print("KeyError", e)


deletes()
