# Word operations on locals a loop does not change (computed once before
# the loop by the emitter) and on locals it does change (computed in it).
import micropython


@micropython.viper
def rows(n: int, w: int) -> int:
    s = 0
    for i in range(n):
        for j in range(w):
            s += i * w + j
    return s


print(rows(3, 4), rows(0, 4), rows(4, 0))


@micropython.viper
def changed_inside(n: int) -> int:
    a = 3
    b = 5
    s = 0
    for i in range(n):
        s += a * b
        if i == 2:
            a = 10
    return s


print(changed_inside(5))


@micropython.viper
def changed_later_in_outer(n: int) -> int:
    s = 0
    x = 1
    for i in range(n):
        for j in range(3):
            s += x << 2
        x = x + i
    return s


print(changed_later_in_outer(4))


@micropython.viper
def while_loop(n: int, k: int) -> int:
    s = 0
    i = 0
    while i < n:
        s += k ^ n
        i += 1
    return s


print(while_loop(6, 3), while_loop(0, 3))


@micropython.viper
def many(n: int, a: int, b: int) -> int:
    s = 0
    for i in range(n):
        s += (a + b) + (a - b) + (a * b) + (a & b) + (a | b) + (a ^ b) + (a << 2) + (b >> 1)
    return s


print(many(3, 12, 5), many(1, -7, 3))
