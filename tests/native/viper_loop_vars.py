# Viper `for ... in range()` loop variables that may share their counter's
# register (read only inside the body) and those that may not (read after
# the loop, assigned in the body, or used by two loops).
import micropython


@micropython.viper
def body_only(n: int) -> int:
    s = 0
    for i in range(n):
        if i == 3:
            continue
        if i == 50:
            break
        s += i * i
    return s


@micropython.viper
def read_after(n: int) -> int:
    i = -7
    for i in range(n):
        pass
    return i


@micropython.viper
def assigned_in_body(n: int) -> int:
    s = 0
    for i in range(n):
        i = i * 2
        s += i
    return s


@micropython.viper
def two_loops(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    for i in range(1, n, 2):
        s = s * 3 + i
    return s


@micropython.viper
def nested(n: int) -> int:
    s = 0
    for i in range(n):
        for j in range(i, n):
            s += (i + 1) * (j + 2) - j
        s ^= i
    return s


@micropython.viper
def stepped(n: int) -> int:
    s = 0
    for i in range(n, 0, -3):
        s = s * 7 + i
    return s & 0xFFFFFF


print([body_only(v) for v in (0, 1, 4, 10, 100)])
print([read_after(v) for v in (0, 1, 9)])
print([assigned_in_body(v) for v in (0, 5)])
print([two_loops(v) for v in (0, 3, 8)])
print([nested(v) for v in (0, 1, 6, 20)])
print([stepped(v) for v in (0, 1, 10, 40)])
