# The emitter benchmark: the same kernels as bytecode, @native and @viper.
# Runs unchanged on ferropy, MicroPython and (bytecode only) CPython; prints
# one line per kernel and mode: "kernel mode best_microseconds result".
# Arguments: [REPEAT [KERNEL,KERNEL,...]], or --dump to print the sources.
# Driven by `cargo run --release -p ferropy-benches --bin emitters`.
import sys

try:
    import micropython

    HAVE_NATIVE = True
except ImportError:
    HAVE_NATIVE = False

try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b


REPEAT = 5
DUMP = False
if len(sys.argv) > 1:
    if sys.argv[1] == "--dump":
        # Print every kernel's sources (for ferropy-bench's compile columns).
        DUMP = True
    else:
        REPEAT = int(sys.argv[1])

SOURCE = {}

# --- recursive fib -------------------------------------------------------
SOURCE["fib"] = (
    """
{deco}
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def kernel():
    return fib(23)
""",
    """
@micropython.viper
def fib(n: int) -> int:
    if n < 2:
        return n
    return int(fib(n - 1)) + int(fib(n - 2))
def kernel():
    return fib(23)
""",
)

# --- integer loop --------------------------------------------------------
SOURCE["loop"] = (
    """
{deco}
def loop(n):
    s = 0
    for i in range(n):
        s += (i * 7) & 1023
        s ^= i
    return s
def kernel():
    return loop(300000)
""",
    """
@micropython.viper
def loop(n: int) -> int:
    s = 0
    for i in range(n):
        s += (i * 7) & 1023
        s ^= i
    return s
def kernel():
    return loop(300000)
""",
)

# --- bubble sort of a bytearray -------------------------------------------
SOURCE["bubble"] = (
    """
{deco}
def bsort(b, n):
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] > b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t
def setup():
    return bytearray((i * 73 + 11) & 255 for i in range(300))
def kernel(b):
    bsort(b, 300)
    return b[0] + b[150] * 256 + b[299] * 65536
""",
    """
@micropython.viper
def bsort(buf, n: int):
    b = ptr8(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] > b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t
def setup():
    return bytearray((i * 73 + 11) & 255 for i in range(300))
def kernel(b):
    bsort(b, 300)
    return b[0] + b[150] * 256 + b[299] * 65536
""",
)

# --- Fletcher-16 checksum over a bytearray -------------------------------
SOURCE["checksum"] = (
    """
{deco}
def fletcher(b, n):
    s1 = 0
    s2 = 0
    for i in range(n):
        s1 = (s1 + b[i]) % 255
        s2 = (s2 + s1) % 255
    return (s2 << 8) | s1
DATA = bytearray((i * 7 + 3) & 255 for i in range(100000))
def kernel():
    return fletcher(DATA, 100000)
""",
    """
@micropython.viper
def fletcher(buf, n: int) -> int:
    b = ptr8(buf)
    s1 = 0
    s2 = 0
    for i in range(n):
        s1 = (s1 + b[i]) % 255
        s2 = (s2 + s1) % 255
    return (s2 << 8) | s1
DATA = bytearray((i * 7 + 3) & 255 for i in range(100000))
def kernel():
    return fletcher(DATA, 100000)
""",
)

# --- RGBA pixel blend over 32-bit words ----------------------------------
SOURCE["blend"] = (
    """
{deco}
def blend(d, s, n, alpha):
    inv = 256 - alpha
    for i in range(n):
        a = d[i]
        b = s[i]
        out = 0
        for shift in (0, 8, 16, 24):
            ca = (a >> shift) & 255
            cb = (b >> shift) & 255
            out |= (((ca * inv + cb * alpha) >> 8) & 255) << shift
        d[i] = out
import array
D0 = array.array("I", [(i * 2654435761) & 0xFFFFFFFF for i in range(16384)])
S0 = array.array("I", [(i * 40503) & 0xFFFFFFFF for i in range(16384)])
def setup():
    return array.array("I", D0)
def kernel(d):
    blend(d, S0, 16384, 100)
    return d[0] ^ d[5000] ^ d[16383]
""",
    """
@micropython.viper
def blend(dst, src, n: int, alpha: int):
    d = ptr32(dst)
    s = ptr32(src)
    inv = 256 - alpha
    for i in range(n):
        a = d[i]
        b = s[i]
        out = 0
        shift = 0
        while shift < 32:
            ca = (a >> shift) & 255
            cb = (b >> shift) & 255
            out |= (((ca * inv + cb * alpha) >> 8) & 255) << shift
            shift += 8
        d[i] = out
import array
D0 = array.array("I", [(i * 2654435761) & 0xFFFFFFFF for i in range(16384)])
S0 = array.array("I", [(i * 40503) & 0xFFFFFFFF for i in range(16384)])
def setup():
    return array.array("I", D0)
def kernel(d):
    blend(d, S0, 16384, 100)
    return d[0] ^ d[5000] ^ d[16383]
""",
)

# --- sieve of Eratosthenes over a bytearray -------------------------------
SOURCE["sieve"] = (
    """
{deco}
def sieve(b, n):
    count = 0
    for i in range(2, n):
        if b[i] == 0:
            count += 1
            j = i * i
            while j < n:
                b[j] = 1
                j += i
    return count
def setup():
    return bytearray(200000)
def kernel(b):
    return sieve(b, 200000)
""",
    """
@micropython.viper
def sieve(buf, n: int) -> int:
    b = ptr8(buf)
    count = 0
    for i in range(2, n):
        if b[i] == 0:
            count += 1
            j = i * i
            while j < n:
                b[j] = 1
                j += i
    return count
def setup():
    return bytearray(200000)
def kernel(b):
    return sieve(b, 200000)
""",
)

# --- bitwise CRC-32 (IEEE, reflected) ------------------------------------
SOURCE["crc32"] = (
    """
{deco}
def crc32(b, n):
    crc = 0xFFFFFFFF
    for i in range(n):
        crc ^= b[i]
        for k in range(8):
            if crc & 1:
                crc = (crc >> 1) ^ 0xEDB88320
            else:
                crc >>= 1
    return crc ^ 0xFFFFFFFF
CDATA = bytearray((i * 31 + 7) & 255 for i in range(20000))
def kernel():
    return crc32(CDATA, 20000)
""",
    """
@micropython.viper
def crc32(buf, n: int) -> int:
    b = ptr8(buf)
    crc = uint(0xFFFFFFFF)
    for i in range(n):
        crc ^= uint(b[i])
        for k in range(8):
            if crc & 1:
                crc = (crc >> 1) ^ uint(0xEDB88320)
            else:
                crc >>= 1
    return int(crc ^ uint(0xFFFFFFFF))
CDATA = bytearray((i * 31 + 7) & 255 for i in range(20000))
def kernel():
    return crc32(CDATA, 20000)
""",
)

# --- integer matrix multiply (64 x 64, 32-bit elements) --------------------
SOURCE["matmul"] = (
    """
{deco}
def matmul(a, b, c, n):
    for i in range(n):
        for j in range(n):
            s = 0
            for k in range(n):
                s += a[i * n + k] * b[k * n + j]
            c[i * n + j] = s
import array
N = 64
A = array.array("i", [(i * 7 + 1) % 19 for i in range(N * N)])
B = array.array("i", [(i * 5 + 3) % 23 for i in range(N * N)])
def setup():
    return array.array("i", [0] * (N * N))
def kernel(c):
    matmul(A, B, c, N)
    return c[0] + c[N * N // 2] + c[N * N - 1]
""",
    """
@micropython.viper
def matmul(a, b, c, n: int):
    pa = ptr32(a)
    pb = ptr32(b)
    pc = ptr32(c)
    for i in range(n):
        for j in range(n):
            s = 0
            for k in range(n):
                s += pa[i * n + k] * pb[k * n + j]
            pc[i * n + j] = s
import array
N = 64
A = array.array("i", [(i * 7 + 1) % 19 for i in range(N * N)])
B = array.array("i", [(i * 5 + 3) % 23 for i in range(N * N)])
def setup():
    return array.array("i", [0] * (N * N))
def kernel(c):
    matmul(A, B, c, N)
    return c[0] + c[N * N // 2] + c[N * N - 1]
""",
)


def measure(src):
    g = {"__name__": "bench"}
    exec(src, g)
    kernel = g["kernel"]
    # Kernels that change their data get a fresh copy from setup(), untimed.
    setup = g.get("setup")
    best = None
    result = None
    for _ in range(REPEAT):
        data = setup() if setup else None
        t = ticks_us()
        result = kernel(data) if setup else kernel()
        dt = ticks_diff(ticks_us(), t)
        if best is None or dt < best:
            best = dt
    return best, result


KERNELS = ("fib", "loop", "bubble", "checksum", "blend", "sieve", "crc32", "matmul")
if len(sys.argv) > 2:
    KERNELS = tuple(sys.argv[2].split(","))
for name in KERNELS:
    plain, viper = SOURCE[name]
    modes = [("bytecode", plain.replace("{deco}", ""))]
    if HAVE_NATIVE or DUMP:
        modes.append(("native", plain.replace("{deco}", "@micropython.native")))
        modes.append(("viper", viper))
    for mode, src in modes:
        if DUMP:
            print("#### " + name + " " + mode)
            print(src)
            continue
        us, result = measure(src)
        print(name, mode, us, result)
