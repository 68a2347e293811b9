# Products of a range loop's variable and other locals (`k * n`) in viper
# code: loops counting up from 0 or another start and down, with continue and
# break, nested, and with the factor or the variable written in the loop.
import micropython


@micropython.viper
def shapes(n: int, m: int) -> int:
    t = 0
    for k in range(3, n):  # a start other than 0
        t += k * m + m * k  # both operand orders, one local
    for k in range(n, 0, -1):  # counting down
        t += k * m
    for k in range(n):
        if k == 2:
            continue  # the increment still runs
        if k == n - 2:
            break
        t += k * 7 * m
    return t


@micropython.viper
def kept(n: int, m: int) -> int:
    t = 0
    for k in range(0, n, 2):  # step 2
        t += k * m
    for k in range(n):
        t += k * m
        m += 1  # the factor changes in the loop
    for k in range(n):
        k += 1  # the variable changes in the body
        t += k * m
    x = 5
    for k in range(n):
        t += k * x
        x = k  # written after the product
    return t


@micropython.viper
def nested(n: int) -> int:
    t = 0
    for i in range(n):
        for j in range(n):
            t += i * n + j * i + j * n
    return t


print(shapes(9, 11), shapes(0, 5), shapes(3, -4))
print(kept(7, 3), kept(1, 2))
print(nested(5), nested(1), nested(0))
