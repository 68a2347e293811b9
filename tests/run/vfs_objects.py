# VfsPosix and VfsMem objects used directly (their own current directory) and
# mounted (read-only mounts refuse changes with EROFS).
import os, vfs

m = vfs.VfsMem()
m.mkdir("/d")
m.chdir("d")
print(m.getcwd())
m.mkdir("e")
print(sorted(m.ilistdir("/d")), m.stat("e")[0] == 0x4000)
m.rename("e", "f")
print([t[0] for t in m.ilistdir()])
m.rmdir("f")
print(list(m.ilistdir("")), m.statvfs("/")[0])
try:
    m.open("x", "w")
except OSError as e:
    print("OSError", e.errno)
try:
    m.chdir("/nope")
except OSError as e:
    print("OSError", e.errno)
print(m.getcwd())
vfs.mount(m, "/m")
with open("/m/d/file.txt", "w") as f:
    f.write("data")
print(m.open("/d/file.txt", "r").read())
vfs.umount("/m")
vfs.mount(m, "/ro", readonly=True)
print(open("/ro/d/file.txt").read())
for op in (lambda: open("/ro/d/new", "w"), lambda: os.remove("/ro/d/file.txt"),
           lambda: os.mkdir("/ro/x"), lambda: os.rename("/ro/d/file.txt", "/ro/d/g"),
           lambda: os.rmdir("/ro/d")):
    try:
        op()
        print("no error")
    except OSError as e:
        print("OSError", e.errno)
vfs.umount("/ro")
m.remove("/d/file.txt")
print(list(m.ilistdir("/d")))
p = vfs.VfsPosix()
print(type(p.getcwd()), p.stat("/")[0] & 0xF000 == 0x4000)
try:
    vfs.VfsPosix("/surely/not/here")
except OSError as e:
    print("OSError", e.errno)
try:
    m.mkdir(5)
except TypeError:
    print("TypeError")
