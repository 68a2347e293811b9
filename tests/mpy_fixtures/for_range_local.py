def f(n):
    t = 0
    for i in range(n):
        t += i
    return t
