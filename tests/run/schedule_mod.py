# micropython.schedule: callbacks run later (at the next backward jump or
# call), in order, not nested, and the queue has a limit.
import micropython

log = []


def cb(x):
    log.append(x)
    if x == 1:
        micropython.schedule(cb, 10)


micropython.schedule(cb, 1)
micropython.schedule(cb, 2)
print("queued", log)
for i in range(3):
    pass
print("after loop", log)
try:
    for i in range(100):
        micropython.schedule(cb, i)
except RuntimeError as e:
    print("RuntimeError", e)
for i in range(3):
    pass
print(len(log) > 3)


def filler(_):
    try:
        for i in range(40):
            micropython.schedule(cb, 100 + i)
        print("not full")
    except RuntimeError as e:
        print("RuntimeError", e)


micropython.schedule(filler, None)
for i in range(3):
    pass
for i in range(3):
    pass
print(log[-1] >= 100)
