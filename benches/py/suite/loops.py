# Integer loops: nested for/while loops with small-int arithmetic and compares.
def work(n):
    acc = 0
    for i in range(n):
        j = 0
        while j < 10:
            acc = (acc + i * j) & 0xFFFFF
            if acc & 1:
                acc ^= j
            j += 1
    return acc


print("loops", work(120000))
