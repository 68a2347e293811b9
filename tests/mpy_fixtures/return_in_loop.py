def f(l):
    for x in l:
        if x:
            return x
    return None
