# raise ... from: the cause is dropped, with a warning unless it is None
try:
    raise KeyError("k") from None
except KeyError as e:
    print("caught", e.args)
try:
    try:
        1 / 0
    except ZeroDivisionError as exc:
        raise ValueError("v") from exc
except ValueError as e:
    print("caught", e.args)
