# Counted inner loops whose interrupt checks the optimizing tier moves to
# once per strip of iterations: strip boundaries, steps, signed and
# unsigned tests, and counters next to the ends of the word range (the
# output does not depend on the word size).


@micropython.viper
def up(n: int) -> int:
    s = 0
    for i in range(n):
        s = (s * 31 + i) & 0xFFFF
    return s


@micropython.viper
def up_step(a: int, b: int) -> int:
    s = 0
    for i in range(a, b, 3):
        s = (s * 31 + i) & 0xFFFF
    return s


@micropython.viper
def down_step(a: int, b: int) -> int:
    s = 0
    for i in range(b, a, -7):
        s = (s * 31 + i) & 0xFFFF
    return s


@micropython.viper
def walk(start: int, stop: int, step: int, cap: int) -> int:
    # The step is an argument (any sign); `cap` ends loops that wrap around.
    n = 0
    i = start
    while i < stop:
        n += 1
        if n >= cap:
            break
        i += step
    return n


@micropython.viper
def walk_down(start: int, stop: int, cap: int) -> int:
    n = 0
    i = start
    while i > stop:
        n += 1
        if n >= cap:
            break
        i -= 5
    return n


@micropython.viper
def walk_unsigned(start: uint, stop: uint, cap: int) -> int:
    n = 0
    i = start
    while i < stop:
        n += 1
        if n >= cap:
            break
        i += uint(9)
    return n


@micropython.viper
def fill(buf, n: int, step: int) -> int:
    # The sieve's inner loop: an invariant step read from outside.
    b = ptr8(buf)
    j = 0
    c = 0
    while j < n:
        b[j] = b[j] + 1
        c += 1
        j += step
    return c


@micropython.viper
def word_max() -> int:
    m = 1
    while (m << 1) > 0:
        m = m << 1
    return m + (m - 1)


@micropython.viper
def word_umax() -> int:
    return int(uint(0) - uint(1))


for n in (0, 1, 2, 1023, 1024, 1025, 2047, 2048, 2049, 5000):
    print("up", n, up(n))
for a, b in ((0, 0), (0, 10), (5, 3074), (5, 3077), (-4000, 4000)):
    print("steps", a, b, up_step(a, b), down_step(a, b))
mx = word_max()
mn = -mx - 1
for case, (start, stop, step) in enumerate((
    (0, 3000, 1),
    (0, 3000, 1024),
    (7, 100000, 3),
    (0, 10, 0),
    (0, 10, -1),
    (mx - 20, mx, 7),
    (mx - 20, mx, 3),
    (mx - 4000, mx - 3, 2),
    (mx - 4000, mx - 1, 2),
    (mn, mn + 5000, 1),
    (0, 3000, mx // 4),
    (0, mx, mx // 4),
)):
    print("walk", case, walk(start, stop, step, 3000))
for case, (start, stop) in enumerate(((100, 0), (5000, -5000), (mn + 20, mn), (mn + 4000, mn + 1), (mn + 4000, mn + 3))):
    print("down", case, walk_down(start, stop, 3000))
um = word_umax()
for case, (start, stop) in enumerate(((0, 100), (0, 20000), (um - 30, um), (um - 5000, um - 8), (um - 5000, um - 9))):
    print("unsigned", case, walk_unsigned(start, stop, 3000))
buf = bytearray(5000)
print("fill", fill(buf, 5000, 1), fill(buf, 5000, 7), fill(buf, 3000, 1000), sum(buf))
