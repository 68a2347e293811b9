# micropython.schedule(micropython.kbd_intr, None) makes a KeyboardInterrupt
# pending: raised at a following check (a loop's backward jump, a call),
# once however often it was scheduled, and never inside a scheduled callback.
import micropython
from micropython import schedule, kbd_intr


def spin(n):
    for _ in range(n):
        pass


def check():
    try:
        spin(10)
        print("not interrupted")
    except KeyboardInterrupt:
        print("KeyboardInterrupt")


# (No loop around the schedule calls: a loop's backward jump is a check.)
schedule(kbd_intr, None)
check()
schedule(kbd_intr, None)
schedule(kbd_intr, None)
schedule(kbd_intr, None)
check()
spin(100)
print("quiet after one")

log = []


def callback(arg):
    schedule(kbd_intr, None)
    spin(50)  # inside the callback: not raised here
    log.append(arg)


schedule(callback, "ran")
try:
    spin(10)
    spin(10)
    print("not interrupted")
except KeyboardInterrupt:
    print("KeyboardInterrupt after", log)
