def f(cm):
    with cm as x:
        print(x)
