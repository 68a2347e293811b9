if __debug__:
    print("debug")
x = __debug__
