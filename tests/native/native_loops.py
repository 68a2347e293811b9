# loops, break/continue, else clauses, nested loops in native code
import micropython


@micropython.native
def f(n):
    out = []
    for i in range(n):
        if i % 2:
            continue
        if i > 6:
            break
        out.append(i)
    else:
        out.append("no-break")
    j = 0
    while j < 3:
        j += 1
    else:
        out.append(j)
    for a in "ab":
        for b in (1, 2):
            out.append(a * b)
    return out


print(f(5))
print(f(20))
