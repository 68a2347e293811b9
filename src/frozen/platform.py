# platform for ferropy: the part of CPython's module MicroPython offers
# (platform, python_compiler, libc_ver). Frozen into the `ferropy` command.

import sys


def platform(aliased=False, terse=False):
    name = sys.implementation.name
    ver = ".".join(str(v) for v in sys.implementation.version[:3])
    return "%s-%s-%s" % (name, ver, sys.platform)


def python_compiler():
    return "rustc"


def libc_ver(executable=None, lib="", version="", chunksize=16384):
    return (lib, version)
