def f(cm):
    for i in range(2):
        with cm:
            break
