"""REPL benchmark figures (not a test): raw REPL round trip and raw paste
through mpremote's own transport, against `ferropy --serve`.

    target/mpremote-venv/bin/python benches/repl/roundtrip.py target/release/ferropy

Prints: the time of `exec("pass")` (raw paste + run + both end marks), the time
of a 100 KB script sent by raw paste and run, and the wall time of the
`mpremote exec "pass"` command next to `mpremote version` (its own start-up).
"""
import os, subprocess, sys, tempfile, time

from mpremote.transport_serial import SerialTransport

binary = sys.argv[1]
root = tempfile.mkdtemp()
server = subprocess.Popen([binary, "--serve", "tcp:127.0.0.1:0", "--root", root], stdout=subprocess.PIPE)
port = server.stdout.readline().decode().split("127.0.0.1:")[1].split()[0]
device = "socket://127.0.0.1:" + port
try:
    t = SerialTransport(device, baudrate=115200)
    t.enter_raw_repl(soft_reset=True)
    for _ in range(20):
        t.exec("pass")
    n = 300
    start = time.perf_counter()
    for _ in range(n):
        t.exec("pass")
    rt = (time.perf_counter() - start) / n
    print(f"raw REPL round trip, exec('pass'): {rt * 1e3:.2f} ms (mean of {n})")

    lines = []
    size = 0
    i = 0
    while size < 100 * 1024:
        line = f"v{i} = {i} * 3 + len('{'x' * 40}')\n"
        lines.append(line)
        size += len(line)
        i += 1
    script = "".join(lines) + f"print(v{i - 1})\n"
    times = []
    for _ in range(5):
        start = time.perf_counter()
        out = t.exec(script)
        times.append(time.perf_counter() - start)
    assert out.strip() == str((i - 1) * 3 + 40).encode(), out
    print(f"raw paste + compile + run of {len(script) // 1024} KB ({i} lines): "
          f"{min(times) * 1e3:.1f} ms (best of 5), {sorted(times)[2] * 1e3:.1f} ms (median)")
    t.exit_raw_repl()
    t.close()

    mp = os.path.join(os.path.dirname(sys.executable), "mpremote")
    def wall(args, k=5):
        best = None
        for _ in range(k):
            start = time.perf_counter()
            subprocess.run([mp] + args, check=True, stdout=subprocess.DEVNULL)
            d = time.perf_counter() - start
            best = d if best is None else min(best, d)
        return best
    cmd = wall(["connect", device, "exec", "pass"])
    base = wall(["version"])
    print(f"`mpremote exec pass`: {cmd * 1e3:.0f} ms; `mpremote version`: {base * 1e3:.0f} ms "
          f"(difference {(cmd - base) * 1e3:.0f} ms: connect, Ctrl-C, raw REPL entry, soft reset, exec)")
finally:
    server.kill()
