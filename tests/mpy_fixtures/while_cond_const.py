while 0:
    pass
while 1:
    break
