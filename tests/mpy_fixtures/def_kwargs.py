def f(**kw):
    return kw
