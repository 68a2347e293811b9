from micropython import const
X = const(f())
