# List sorting: pseudo-random integers, sorted in place and with a key.
def rand_list(n, seed):
    out = []
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(x >> 8)
    return out


def run():
    total = 0
    for r in range(6):
        a = rand_list(6000, r + 1)
        b = sorted(a, key=lambda v: -v)
        a.sort()
        total = (total + a[0] + a[-1] + b[0] + b[len(b) // 2]) & 0xFFFFFF
    return total


print("sort", run())
