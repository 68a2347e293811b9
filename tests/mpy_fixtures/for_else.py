for x in [1, 2]:
    if x > 5:
        break
else:
    print("no break")
