# bubble sort of a bytearray in place through a ptr8
import micropython


@micropython.viper
def bsort(buf, n: int):
    p = ptr8(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if p[j] > p[j + 1]:
                t = p[j]
                p[j] = p[j + 1]
                p[j + 1] = t


b = bytearray([9, 3, 7, 1, 8, 2, 200, 0])
bsort(b, 8)
print(list(b))
