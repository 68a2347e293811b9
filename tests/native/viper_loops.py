# while and range loops with int counters, break and continue
import micropython


@micropython.viper
def f(n: int) -> int:
    s = 0
    i = 0
    while True:
        i += 1
        if i > n:
            break
        if i % 3 == 0:
            continue
        s += i
    for j in range(n, 0, -2):
        s += j
    return s


print(f(10), f(0))
