#!/usr/bin/env python3
"""Writes or checks src/startup.ld, the list of the functions `ferropy -c pass` runs.

The build links the `ferropy` command with src/startup.ld (build.rs, Linux): the
functions it names are placed together at the start of the text, in an output
section `.text.startup`. The kernel maps a whole 64 KB window of the binary
around each page fault (fault-around), so start-up code spread over the text
makes most of it resident; gathered, it takes a few windows (`-c pass` peak
RSS: 4.0 -> 2.9 MB).

The patterns name functions without their hashes (`..17h*` for Rust's legacy
mangling, `Cs*_` for the crate hashes of v0-mangled std), so they survive
rebuilds and compiler updates; renamed or new start-up functions are simply
left in `.text` (the layout degrades, nothing breaks). Run this script after
changing what start-up runs:

    scripts/startup-order.py            # rebuild the list
    scripts/startup-order.py --check    # how much start-up code lies outside the list (exit 1 if > 10%)

It builds the `release-debug` profile (symbols, the release code) and runs it
under valgrind's callgrind to find the executed functions.
"""

import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "src", "startup.ld")
# What start-up means: an empty program, and one that prints (the usual first output).
RUNS = [["-c", "pass"], ["-c", "print('hi', 1)"]]
MAX_OUTSIDE = 0.10

HEADER = """\
/* Start-up functions of the `ferropy` command, gathered at the start of the text
   so that start-up touches few pages (see scripts/startup-order.py, which writes
   this file, and build.rs, which links the command with it). */
SECTIONS
{
  .text.startup :
  {
"""
FOOTER = """\
  }
}
INSERT BEFORE .text;
"""


def binary():
    env = dict(os.environ)
    subprocess.run(
        ["cargo", "build", "--profile", "release-debug", "-p", "ferropy", "--bin", "ferropy"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    target = env.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release-debug", "ferropy")


def executed(exe, syms):
    """Mangled names of the functions of `exe` that run, in first-run order."""
    names = []
    seen = set()
    for args in RUNS:
        with tempfile.NamedTemporaryFile(suffix=".cg") as out:
            subprocess.run(
                ["valgrind", "--tool=callgrind", "--demangle=no", "--callgrind-out-file=" + out.name, exe] + args,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # Function blocks (`fn=`, not the callees `cfn=`); names are given
            # once per id. Valgrind does not attribute code outside `.text`
            # to its object, so the functions are matched to the binary's
            # symbols instead.
            fns = {}
            for line in open(out.name, encoding="utf-8", errors="replace"):
                m = re.match(r"^c?fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
                if not m:
                    continue
                ident, name = m.groups()
                if name is not None:
                    fns[ident] = name
                if line.startswith("fn="):
                    n = re.sub(r"'\d+$", "", fns[ident])
                    if n in syms and n not in seen:
                        seen.add(n)
                        names.append(n)
    return names


def pattern(name):
    if name.startswith("_ZN"):
        return re.sub(r"17h[0-9a-f]{16}E$", "17h*", name)
    if name.startswith("_R"):
        return re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", name)
    return name


def symbols(exe):
    out = subprocess.run(["nm", "-S", exe], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tTwW":
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
    return syms


def section(exe, name):
    out = subprocess.run(["readelf", "-SW", exe], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        p = line.replace("[ ", "[").split()
        if len(p) > 5 and p[1] == name:
            return int(p[3], 16), int(p[3], 16) + int(p[5], 16)
    return None


def main():
    exe = binary()
    syms = symbols(exe)
    names = executed(exe, syms)
    if "--check" in sys.argv[1:]:
        span = section(exe, ".text.startup")
        if span is None:
            print("startup-order: the binary has no .text.startup section (src/startup.ld not linked)")
            return 1
        inside = outside = 0
        missed = []
        for n in names:
            addr, size = syms[n]
            if span[0] <= addr < span[1]:
                inside += size
            else:
                outside += size
                missed.append((size, n))
        total = inside + outside
        share = outside / total if total else 0.0
        print(f"startup-order: {len(names)} start-up functions, {total} bytes; {outside} bytes ({share:.1%}) outside .text.startup")
        for size, n in sorted(missed, reverse=True)[:20]:
            print(f"  {size:6} {n}")
        if share > MAX_OUTSIDE:
            print("startup-order: the list is stale; run scripts/startup-order.py to rewrite src/startup.ld")
            return 1
        return 0
    patterns = []
    for n in names:
        p = pattern(n)
        if p not in patterns:
            patterns.append(p)
    with open(LIST, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for p in patterns:
            if "8run_loop17h" in p:
                # The dispatch loop starts on a 64-byte boundary, so its hot
                # code keeps its alignment whatever comes before it (a shift
                # by 32 bytes cost bytecode loops 6%).
                f.write("    . = ALIGN(64);\n")
            # Cold functions (`#[cold]`, e.g. vector growth) are in `.text.unlikely.` sections.
            f.write(f"    *(.text.{p} .text.unlikely.{p})\n")
        f.write(FOOTER)
    print(f"startup-order: {len(patterns)} patterns written to {os.path.relpath(LIST, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
