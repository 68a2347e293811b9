# Short constant loops, which the optimizing tier unrolls on their fast path
# (a pixel's four channels, a byte's eight bits), including a loop resumed
# after its first check has run a scheduled callback (the unrolled copy
# only serves a loop starting from its first value).
import micropython

hits = []


def callback(x):
    # Schedules itself once more: the flag is still set when the loop starts.
    hits.append(x)
    if x > 0:
        micropython.schedule(callback, x - 1)


@micropython.viper
def channels(a: int, b: int) -> int:
    out = 0
    shift = 0
    while shift < 32:
        ca = (a >> shift) & 255
        cb = (b >> shift) & 255
        out |= ((ca + cb) & 255) << shift
        shift += 8
    return out


@micropython.viper
def channels_after_callback(a: int, b: int) -> int:
    micropython.schedule(callback, 1)
    out = 0
    shift = 0
    while shift < 32:
        ca = (a >> shift) & 255
        cb = (b >> shift) & 255
        out |= ((ca + cb) & 255) << shift
        shift += 8
    return out


@micropython.viper
def crc8(buf, n: int) -> int:
    b = ptr8(buf)
    crc = 0
    for i in range(n):
        crc ^= b[i]
        for k in range(8):
            if crc & 0x80:
                crc = ((crc << 1) ^ 0x07) & 0xFF
            else:
                crc = (crc << 1) & 0xFF
    return crc


@micropython.viper
def countdown(n: int) -> int:
    # Falling, unsigned bound, with the counter read after the loop.
    s = 0
    i = 10
    while i > 4:
        s = s * 3 + i
        i -= 2
    return s * 100 + i + n


for a, b in ((0x01020304, 0x10203040), (0xFFFFFFFF, 0x01010101), (0, 0)):
    print(hex(channels(a, b)), hex(channels_after_callback(a, b)))
# Backward jumps run what is still scheduled (when callbacks run is up to
# the implementation: MicroPython's viper loops never check).
for _ in range(10):
    pass
print(sorted(hits))
print(crc8(b"123456789", 9), crc8(b"", 0), crc8(bytes(range(256)), 256))
print(countdown(0), countdown(7))
