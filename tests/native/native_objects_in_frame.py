# objects referenced only from a native frame's slots survive collection
import micropython
import gc


@micropython.native
def churn(n):
    keep = [str(i) * 3 for i in range(10)]
    total = 0
    for i in range(n):
        tmp = [i] * 20
        gc.collect()
        total += len(tmp) + len(keep[i % 10])
    return total, keep[3], keep[9]


print(churn(50))
