# vfs.VfsFat on Python block devices: mkfs, mount, files, directories, errors.
import errno, gc, os, vfs


class RAMBlockDev:
    def __init__(self, blocks, size=512):
        self.size = size
        self.data = bytearray(blocks * size)
        self.calls = 0

    def readblocks(self, n, buf):
        a = n * self.size
        buf[:] = self.data[a : a + len(buf)]

    def writeblocks(self, n, buf):
        a = n * self.size
        self.data[a : a + len(buf)] = buf

    def ioctl(self, op, arg):
        self.calls += 1
        if op == 4:
            return len(self.data) // self.size
        if op == 5:
            return self.size


def err(f, *args):
    try:
        f(*args)
        print("no error")
    except OSError as e:
        print("OSError", errno.errorcode.get(e.errno, e.errno))
    except Exception as e:
        print(type(e).__name__)


bdev = RAMBlockDev(50)
vfs.VfsFat.mkfs(bdev)
print(bdev.data[510:512], bdev.data[54:62])
fs = vfs.VfsFat(bdev)
print(fs.statvfs("/"))
vfs.mount(fs, "/fat")
print(os.listdir("/fat"))

# files, text and binary
with open("/fat/hello.txt", "w") as f:
    print(f.write("hello\n"), f.write("world\n"))
with open("/fat/hello.txt") as f:
    print(repr(f.read()))
with open("/fat/hello.txt", "a") as f:
    f.write("again\n")
with open("/fat/hello.txt") as f:
    print(f.readline(), f.readlines())
data = bytes(range(256)) * 5
with open("/fat/bin.dat", "wb") as f:
    f.write(data)
with open("/fat/bin.dat", "rb") as f:
    f.seek(1000)
    print(f.read(4), f.tell(), f.read() == data[1004:])
print(os.stat("/fat/bin.dat")[6], os.stat("/fat/hello.txt")[0])
err(open, "/fat/hello.txt", "x")
with open("/fat/new.txt", "x") as f:
    f.write("exclusive")
print(fs.stat("new.txt")[6])

# long names and case
with open("/fat/A Long Name With Spaces.text", "w") as f:
    f.write("lfn")
with open("/fat/MiXeD.Py", "w") as f:
    f.write("mixed")
print(sorted(os.listdir("/fat")))
with open("/fat/a long name with spaces.TEXT") as f:
    print(f.read())
print(b"BIN     DAT" in bdev.data, b"HELLO   TXT" in bdev.data)

# directories
os.mkdir("/fat/dir")
os.mkdir("/fat/dir/sub")
os.chdir("/fat/dir")
print(os.getcwd())
with open("sub/f.txt", "w") as f:
    f.write("in sub")
print(list(os.ilistdir()))
print(list(fs.ilistdir(b"/dir/sub")))
os.chdir("/fat")
os.rename("dir/sub/f.txt", "moved.txt")
os.rename("dir", "dir2")
print(sorted(os.listdir()), os.listdir("dir2/sub"))
os.rename("moved.txt", "new.txt")  # replaces new.txt
with open("new.txt") as f:
    print(f.read())

# errors
err(os.stat, "/fat/missing")
err(open, "/fat/missing")
err(os.mkdir, "/fat/dir2")
err(os.mkdir, "/fat/no/such")
err(os.rmdir, "/fat/dir2")
err(os.rmdir, "/fat/new.txt")
err(os.remove, "/fat/dir2")
err(os.remove, "/fat/missing")
err(os.rename, "/fat/missing", "/fat/x")
err(fs.chdir, "/new.txt")
err(os.mkdir, "/fat/bad:name")
err(os.listdir, "/fat/missing")

# a full disk fails the write
free = fs.statvfs("/")[3]
f = open("/fat/big", "wb")
err(f.write, bytearray(512 * (free + 1)))
f.close()
os.remove("/fat/big")
print(fs.statvfs("/")[3] == free)

# closed files
f = open("/fat/new.txt")
f.close()
err(f.read)
err(f.flush)

# read-only mount
vfs.umount("/fat")
vfs.mount(fs, "/ro", readonly=True)
print(os.listdir("/ro")[:2])
err(open, "/ro/x", "w")
err(os.mkdir, "/ro/d")
err(os.remove, "/ro/new.txt")
vfs.umount("/ro")

# an unmounted VfsFat works too, and remounting sees the same files
fs2 = vfs.VfsFat(bdev)
with fs2.open("direct.txt", "w") as f:
    f.write("direct")
print(fs2.getcwd(), [e[0] for e in fs2.ilistdir("/")][-1])
fs2.chdir("/dir2")
print(fs2.getcwd(), list(fs2.ilistdir()))
fs2.umount()
del fs, fs2, bdev
gc.collect()

# the old block-device protocol, and mounting a bare block device
class OldDev:
    def __init__(self, blocks):
        self.data = bytearray(blocks * 512)

    def readblocks(self, n, buf):
        buf[:] = self.data[n * 512 : n * 512 + len(buf)]

    def writeblocks(self, n, buf):
        self.data[n * 512 : n * 512 + len(buf)] = buf

    def count(self):
        return len(self.data) // 512

    def sync(self):
        pass


old = OldDev(50)
vfs.VfsFat.mkfs(old)
vfs.mount(old, "/old")
print([type(m[0]).__name__ for m in vfs.mount() if m[1] == "/old"])
with open("/old/o.txt", "w") as f:
    f.write("old protocol")
print(os.listdir("/old"), os.statvfs("/old")[:4])
vfs.umount("/old")
del old
gc.collect()

# a device without a volume, and bad block devices
blank = RAMBlockDev(50)
fs3 = vfs.VfsFat(blank)
err(fs3.listdir if hasattr(fs3, "listdir") else fs3.ilistdir, "/")
err(vfs.mount, fs3, "/blank")
vfs.mount(fs3, "/blank", mkfs=True)
print(os.listdir("/blank"))
vfs.umount("/blank")
del fs3, blank
gc.collect()
err(vfs.VfsFat, object())
err(vfs.VfsFat.mkfs, RAMBlockDev(10))


class Failing(RAMBlockDev):
    def readblocks(self, n, buf):
        raise RuntimeError("read failed")


err(vfs.VfsFat, Failing(40))


class BadStatus(RAMBlockDev):
    status = 0

    def readblocks(self, n, buf):
        super().readblocks(n, buf)
        return self.status


gc.collect()
bad = BadStatus(50)
vfs.VfsFat.mkfs(bad)
bad.status = -5
err(vfs.VfsFat, bad)
bad.status = "invalid"
err(vfs.VfsFat, bad)
