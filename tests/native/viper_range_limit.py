# A range loop's limit is evaluated once: changing the variable it came from
# inside the loop does not change the number of iterations.
import micropython


@micropython.viper
def grow(n: int) -> int:
    count = 0
    for i in range(n):
        n += 1
        count += 1
    return count * 1000 + n


print(grow(5), grow(0))


@micropython.viper
def nested(n: int) -> int:
    s = 0
    for i in range(n):
        for j in range(n):
            s += i * n + j
    return s


print(nested(4), nested(7))


@micropython.viper
def shrink_inner(n: int) -> int:
    s = 0
    for i in range(n):
        m = n - i
        for j in range(m):
            m -= 1
            s += 1
    return s


print(shrink_inner(5))


@micropython.viper
def matmul(a, b, c, n: int):
    pa = ptr32(a)
    pb = ptr32(b)
    pc = ptr32(c)
    for i in range(n):
        for j in range(n):
            s = 0
            for k in range(n):
                s += pa[i * n + k] * pb[k * n + j]
            pc[i * n + j] = s


import array

N = 5
A = array.array("i", [(i * 7 + 1) % 19 - 9 for i in range(N * N)])
B = array.array("i", [(i * 5 + 3) % 23 - 11 for i in range(N * N)])
C = array.array("i", [0] * (N * N))
matmul(A, B, C, N)
print(list(C))
