try:
    try:
        x = 1
    except KeyError:
        pass
except ValueError:
    pass
