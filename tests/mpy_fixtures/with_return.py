def f(cm):
    with cm:
        return 1
