def f():
    try:
        pass
    except Exception as e:
        return e
