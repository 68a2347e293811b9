class A:
    class B:
        y = 2
    z = B.y
