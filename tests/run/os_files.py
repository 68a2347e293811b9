# os file and directory functions on the host's files, with their errors.
import os

base = "/tmp/fpy_os_" + "".join("%02x" % b for b in os.urandom(6))
os.mkdir(base)
start = os.getcwd()
os.chdir(base)
print(os.getcwd() == base)
print(os.listdir())

with open("a.txt", "w") as f:
    f.write("hello")
os.mkdir("sub")
with open("sub/b.bin", "wb") as f:
    f.write(b"\x00\x01\x02")
print(sorted(os.listdir()))
print(sorted(os.listdir(".")))
print(sorted(os.listdir(base + "/sub")))
st = os.stat("a.txt")
print(len(st), st[0] & 0xF000 == 0x8000, st[6])
print(os.stat("sub")[0] & 0xF000 == 0x4000)
print(sorted((e[0], e[1]) for e in os.ilistdir()))
print(len(os.statvfs("/")), os.statvfs("/")[9] > 0)

os.rename("a.txt", "c.txt")
print(sorted(os.listdir()))
print(open("c.txt").read())
os.chdir("sub")
print(os.getcwd() == base + "/sub")
print(open("b.bin", "rb").read())
os.chdir("..")
print(os.getcwd() == base)


def err(fn, *args):
    try:
        fn(*args)
        print(fn.__name__ if hasattr(fn, "__name__") else fn, "no error")
    except OSError as e:
        print("OSError", e.errno, str(e))


err(os.stat, "missing")
err(os.listdir, "missing")
err(os.listdir, "c.txt")
err(os.mkdir, "sub")
err(os.mkdir, "missing/deeper")
err(os.rmdir, "sub")
err(os.rmdir, "missing")
err(os.remove, "missing")
err(os.rename, "missing", "other")
err(os.chdir, "missing")
err(open, "missing")
err(open, "missing/x.txt", "w")
print(os.getcwd() == base)

os.remove("sub/b.bin")
os.rmdir("sub")
os.remove("c.txt")
print(os.listdir())
os.chdir(start)
os.rmdir(base)
err(os.stat, base)

print(os.sep)
print(type(os.urandom(3)), len(os.urandom(3)), len(os.urandom(0)))
for n in (-1,):
    try:
        os.urandom(n)
    except ValueError:
        print("ValueError")
print(os.getenv("FPY_SURELY_UNSET_VAR"), os.getenv("FPY_SURELY_UNSET_VAR", 7))
os.putenv("FPY_TEST_VAR", "v1")
os.unsetenv("FPY_TEST_VAR")
print(os.getenv("FPY_TEST_VAR"))
try:
    os.listdir(5)
except TypeError:
    print("TypeError")
