# `for` loops over lists and tuples in native code (the runtime's fast path
# makes the iterator and ends the loop), with break, else, nesting,
# mutation, exceptions, subclasses and other iterables.


@micropython.native
def walk(seq):
    out = []
    for x in seq:
        if x == "stop":
            break
        if x == "skip":
            continue
        out.append(x)
    else:
        out.append("else")
    return out


for seq in ([1, 2, 3], (4, 5), [], (), ["a", "stop", "b"], ("skip", "c"), [None, [1], (2,)]):
    print(walk(seq))


@micropython.native
def pairs(seq):
    out = []
    for a in seq:
        for b in seq:
            out.append((a, b))
    return out


print(pairs([1, 2]), pairs((3,)), pairs(()))


@micropython.native
def clear_while_walking(lst):
    seen = []
    for x in lst:
        seen.append(x)
        lst.clear()
    return seen, lst


print(clear_while_walking([7, 8, 9]))


@micropython.native
def raise_inside(seq):
    count = 0
    try:
        for x in seq:
            count += 1
            if x < 0:
                raise ValueError(x)
    except ValueError as e:
        return "caught", e.args[0], count
    return "done", count


print(raise_inside([1, 2, -3, 4]), raise_inside((5, 6)))


class Seq(list):
    def __iter__(self):
        return iter(["sub", len(self)])


@micropython.native
def others():
    out = []
    for x in Seq([1, 2]):
        out.append(x)
    for i, x in enumerate(("a", "b")):
        out.append((i, x))
    for x in "hi":
        out.append(x)
    for x in b"\x01\x02":
        out.append(x)
    for x in {3: 0}:
        out.append(x)
    for x in (y * 2 for y in [5, 6]):
        out.append(x)
    return out


print(others())


@micropython.native
def unpack(rows):
    total = 0
    for a, b in rows:
        total += a * b
    return total


print(unpack([(1, 2), (3, 4)]), unpack(((5, 6),)))
