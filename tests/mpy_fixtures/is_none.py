x = None
if x is None:
    pass
if x is not None:
    pass
