# Files dropped without close(): the collector gives their descriptor numbers
# back and writes what was written to them; fileno(), open(fd) and their errors.
import gc, os

base = "/tmp/fpy_fin_" + "".join("%02x" % b for b in os.urandom(6))
os.mkdir(base)
names = [base + "/x%d" % i for i in range(4)]

with open(base + "/first", "w") as f:
    first_fd = f.fileno()
    print(type(first_fd))


def write_without_closing():
    for n in names:
        open(n, "w").write("data of " + n[-2:])
    # Use up the stack so no stale reference to the last file survives.
    sorted(list(range(64)), key=lambda x: x)


write_without_closing()
gc.collect()

with open(base + "/second", "w") as f:
    print("descriptor reused", f.fileno() <= first_fd)

# What the dropped files held was written when they were collected.
for n in names:
    print(open(n).read())

# Two open files have different numbers; a closed file's number is free again.
a = open(base + "/first")
b = open(base + "/second")
print(a.fileno() != b.fileno())
na = a.fileno()
a.close()
c = open(base + "/x0")
print(c.fileno() == na)
b.close()
c.close()

# fileno() of a closed file
try:
    a.fileno()
except ValueError as e:
    print("ValueError", e)

# The standard streams by number.
err = open(2)
print(err)
err.write("")
print(open(1, "wb"))

for n in names + [base + "/first", base + "/second"]:
    os.remove(n)
os.rmdir(base)
try:
    os.stat(base)
except OSError:
    print("removed")
