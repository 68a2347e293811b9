def f():
    try:
        pass
    except:
        raise
