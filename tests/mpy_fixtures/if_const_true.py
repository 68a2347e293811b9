if 1:
    print("always")
if 0:
    print("never")
else:
    print("else")
