def f():
    ys = [y for x in range(3) if (y := x * 2)]
    return ys, y
