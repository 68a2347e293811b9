def f(cm):
    with cm:
        pass
