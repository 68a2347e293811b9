# json and re speed: the same work on ferropy, MicroPython and CPython.
# Prints one line per case: "case best_microseconds check". Run by hand:
#   target/release/ferropy benches/py/json_re.py
#   <micropython> benches/py/json_re.py
try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b

import json
import re

REPEAT = 5

# A document like a small REST response: 200 records of mixed values.
records = []
for i in range(200):
    records.append(
        {
            "id": i,
            "name": "item-%d" % i,
            "price": i * 1.25,
            "tags": ["a", "bc", "def"][: i % 3 + 1],
            "active": i % 2 == 0,
            "owner": None if i % 5 else {"user": "u%d" % i, "level": i % 7},
        }
    )
text = json.dumps(records)

log = "\n".join(
    "2026-12-02 10:%02d:%02d host%d GET /api/items/%d?x=%d 200 %dms" % (i % 60, i * 7 % 60, i % 4, i, i * 3, i % 97)
    for i in range(400)
)
words = " ".join("word%d" % i for i in range(300)) + " needle " + " ".join("w%d" % i for i in range(300))


def run(name, fn, n):
    best = None
    check = None
    for _ in range(REPEAT):
        t0 = ticks_us()
        for _ in range(n):
            check = fn()
        dt = ticks_diff(ticks_us(), t0)
        if best is None or dt < best:
            best = dt
    print(name, best, check)


run("json_dumps", lambda: len(json.dumps(records)), 20)
run("json_loads", lambda: len(json.loads(text)), 20)

line_re = re.compile(r"(\d+):(\d+) (\w+) GET (/[\w/]+)\?x=(\d+) (\d+) (\d+)ms")


lines = log.split("\n")


def parse_log():
    n = 0
    for line in lines:
        m = line_re.search(line)
        if m:
            n += int(m.group(7))
    return n


run("re_search_groups", parse_log, 5)
needle_re = re.compile(r"ne+dle")
run("re_search_scan", lambda: needle_re.search(words) is not None, 200)
run("re_sub", lambda: len(re.sub(r"\d+", "#", log[:4000])), 20)
run("re_split", lambda: len(re.compile(r"[ /?=]+").split(log[:4000])), 20)
