x = 1
assert x
assert x, "msg"
