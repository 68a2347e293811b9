# Mounting a Python object that implements the VFS methods, and routing
# os calls and open() to it.
import os, vfs


class Log:
    def __init__(self, tag, fail_chdir=False):
        self.tag = tag
        self.fail_chdir = fail_chdir
        self.cwd = "/"

    def mount(self, ro, mkfs):
        print(self.tag, "mount", ro, mkfs)

    def umount(self):
        print(self.tag, "umount")

    def ilistdir(self, path):
        print(self.tag, "ilistdir", repr(path))
        return iter([("f_" + self.tag, 0x8000, 0), ("d_" + self.tag, 0x4000, 0)])

    def stat(self, path):
        print(self.tag, "stat", repr(path))
        if path.endswith("missing"):
            raise OSError(2)
        return (0x8000, 0, 0, 0, 0, 0, 42, 0, 0, 0)

    def statvfs(self, path):
        return (512, 512, 100, 50, 50, 0, 0, 0, 0, 255)

    def chdir(self, path):
        print(self.tag, "chdir", repr(path))
        if self.fail_chdir:
            raise OSError(13)
        self.cwd = path

    def getcwd(self):
        return self.cwd

    def mkdir(self, path):
        print(self.tag, "mkdir", repr(path))

    def rmdir(self, path):
        print(self.tag, "rmdir", repr(path))

    def remove(self, path):
        print(self.tag, "remove", repr(path))

    def rename(self, a, b):
        print(self.tag, "rename", repr(a), repr(b))

    def open(self, path, mode):
        print(self.tag, "open", repr(path), mode)
        return "file:" + path


vfs.mount(Log("A"), "/pa")
vfs.mount(Log("B"), "/pb", readonly=True)
print(sorted(os.listdir("/"))[:0] == [], "pa" in os.listdir("/"), "pb" in os.listdir("/"))
print(os.listdir("/pa"))
print(list(os.ilistdir("/pb")))
print(os.stat("/pa/x")[6])
print(os.stat("/pa")[0])
print(os.statvfs("/pb/q"))
try:
    os.stat("/pa/missing")
except OSError as e:
    print("stat", e.errno)
os.mkdir("/pa/newdir")
os.rmdir("/pa/newdir")
os.remove("/pa/file")
os.rename("/pa/one", "/pa/two")
try:
    os.rename("/pa/one", "/pb/two")
except OSError:
    print("cross-device rename: OSError")
try:
    os.mkdir("/pa")
except OSError as e:
    print("mkdir mount point", e.errno)
print(open("/pa/some.txt", "w"))
os.chdir("/pb")
print(os.getcwd())
os.chdir("sub")
print(os.getcwd())
print(os.listdir())
print(open("rel.txt"))
try:
    vfs.mount(Log("C", True), "/pb")
except OSError as e:
    print("mount twice", e.errno)
vfs.mount(Log("D", True), "/pd")
try:
    os.chdir("/pd/x")
except OSError as e:
    print("chdir failed", e.errno)
print(os.getcwd())
vfs.umount("/pa")
vfs.umount("/pb")
vfs.umount("/pd")
print(os.getcwd())
try:
    vfs.umount("/pa")
except OSError as e:
    print("umount again", e.errno)
try:
    os.listdir("/pa")
except OSError as e:
    print("listdir gone", e.errno)
