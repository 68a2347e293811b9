# vfs.VfsMem (a ferropy addition): an in-memory file system mounted beside
# the host's files; os functions, open() and import through it, and errors.
import os, vfs, sys

m = vfs.VfsMem()
print(m)
vfs.mount(m, "/mem")
print("mem" in os.listdir("/"))
print(os.listdir("/mem"))
os.mkdir("/mem/pkg")
with open("/mem/pkg/__init__.py", "w") as f:
    f.write("NAME = 'pkg'\n")
with open("/mem/mod1.py", "w") as f:
    f.write("def double(x):\n    return 2 * x\n")
with open("/mem/data.bin", "wb") as f:
    f.write(b"\x01\x02\x03")
with open("/mem/data.bin", "ab") as f:
    f.write(b"\x04")
print(sorted(os.listdir("/mem")))
print(sorted(os.ilistdir("/mem")))
print(os.stat("/mem/data.bin"))
print(os.stat("/mem/pkg")[0] == 0x4000)
print(open("/mem/data.bin", "rb").read())

sys.path.insert(0, "/mem")
import mod1, pkg
print(mod1.double(21), pkg.NAME)

os.chdir("/mem/pkg")
print(os.getcwd())
print(os.listdir())
os.chdir("..")
print(os.getcwd())
os.rename("mod1.py", "pkg/mod2.py")
print(sorted(os.listdir()), sorted(os.listdir("pkg")))
os.remove("pkg/mod2.py")


def err(fn, *args):
    try:
        fn(*args)
        print("no error")
    except OSError as e:
        print(args, e.errno)


err(os.mkdir, "pkg")
err(os.mkdir, "nodir/sub")
err(os.rmdir, "pkg")
err(os.rmdir, "data.bin")
err(os.remove, "pkg")
err(os.remove, "nothing")
err(os.stat, "nothing")
err(os.listdir, "data.bin")
err(os.chdir, "data.bin")
err(os.chdir, "nothing")
err(os.rename, "nothing", "x")
err(os.rename, "data.bin", "/tmp/elsewhere")
err(os.mkdir, "/mem")
err(open, "nothing")
err(open, "pkg", "w")
print(os.getcwd())

small = vfs.VfsMem(4)
os.mount(small, "/small")
with open("/small/a", "w") as f:
    f.write("1234")
try:
    with open("/small/b", "w") as f:
        f.write("5")
except OSError as e:
    print("full", e.errno)
print(os.statvfs("/small")[0])
os.umount("/small")
err(os.listdir, "/small")
os.chdir("/")
print(os.getcwd())
vfs.umount(m)
print("mem" in os.listdir("/"))
vfs.mount(m, "/again")
print(sorted(os.listdir("/again")))
vfs.umount("/again")
