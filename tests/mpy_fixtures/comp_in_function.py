def f(l):
    return [x for x in l if x]
