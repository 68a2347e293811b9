# array.array items of every integer typecode, read and written in loops (the
# fast loop's path) and once (the general path's); indices past a machine word.
import array


def items():

    for code in "bBhHiIlLqQ":
        a = array.array(code, [0, 1, 2, 3])
        for i in range(4):
            a[i] = a[i] * 3 + 1
        for i in range(-4, 0):
            a[i] += 1
        print(code, list(a), a[0], a[-1])

    # Values that do not fit the item are cut to its low bytes.
    for code, v in (("b", 300), ("B", -1), ("h", 70000), ("H", -2), ("i", 2**31 + 5), ("I", -3)):
        a = array.array(code, [0, 0])
        for i in range(2):
            a[i] = v
        print(code, list(a))

    # Items past the small-int range come back as ints all the same.
    a = array.array("I", [0xFFFFFFFF, 2**30, 2**30 - 1])
    b = array.array("q", [2**40, -(2**40), -1])
    for i in range(3):
        print(a[i], b[i])
    for i in range(3):
        b[i] = b[i] * 2
    print(list(b))

    # Float arrays and non-int values take the general path.
    f = array.array("f", [1.5, 2.5])
    for i in range(2):
        f[i] = f[i] * 2
    print(list(f))
    for i in range(2):
        a[i] = True
    print(list(a))

    # Errors: index out of range, bad index and value types.
    a = array.array("h", [1, 2, 3])
    for bad in (3, -4):
        try:
            a[bad]
        except IndexError as e:
            print("IndexError", e)
        try:
            a[bad] = 1
        except IndexError as e:
            print("IndexError", e)
    try:
        a["x"]
    except TypeError as e:
        print("TypeError")
    try:
        a[0] = "x"
    except TypeError as e:
        print("TypeError", e)
    print(list(a))


items()

# An index past a machine word is an OverflowError for every sequence.
for o in ([1, 2], (1, 2), bytearray(2), array.array("h", [1, 2]), "ab", b"ab", range(2), memoryview(b"ab")):
    try:
        o[10**20]
    except OverflowError as e:
        print(type(o).__name__, "OverflowError", e)
