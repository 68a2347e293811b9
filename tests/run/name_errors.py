try:
    undefined_name
except NameError as e:
    print(e)
def f():
    y = x_local + 1
    x_local = 2
try:
    f()
except NameError as e:
    print(e)
try:
    None()
except TypeError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
try:
    [1][3]
except IndexError as e:
    print(e)
try:
    "a" + 1
except TypeError as e:
    print(e)
