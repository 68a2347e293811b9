# time.sleep takes float seconds as well as ints; zero returns at once, a negative time is an error.
import time

t0 = time.ticks_ms()
time.sleep(0.05)
print("slept", 40 <= time.ticks_diff(time.ticks_ms(), t0) < 1000)
t0 = time.ticks_ms()
time.sleep(0)
time.sleep(0.0)
print("no wait", time.ticks_diff(time.ticks_ms(), t0) < 40)
for t in (-1, -1.5):
    try:
        time.sleep(t)
    except OSError as e:
        print("OSError", e)
try:
    time.sleep("1")
except TypeError:
    print("TypeError")
