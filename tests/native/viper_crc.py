# Bit-serial CRCs, which the optimizing tier turns into table lookups (eight
# steps of `x = (x >> 1) ^ P if x & 1 else x >> 1` become one lookup of the
# low byte; viper_select.py has CRC-32 in that form): written with an `if`,
# with the bit's test negated, without a branch (a mask or a product), on a
# `uint` (logical shifts) and on an `int` (arithmetic shifts, a negative
# polynomial), in chains of 8, 5, 3 and 12 steps, and with every step's
# value also read by something else. Results are the same with 32-bit viper
# words.


@micropython.viper
def crc32c(buf, n: int) -> uint:
    b = ptr8(buf)
    crc = uint(0xFFFFFFFF)
    for i in range(n):
        crc ^= uint(b[i])
        for k in range(8):
            crc = (crc >> 1) ^ (uint(0x82F63B78) & uint(-int(crc & 1)))
    return crc ^ uint(0xFFFFFFFF)


@micropython.viper
def crc16_arc(buf, n: int) -> uint:
    b = ptr8(buf)
    crc = uint(0)
    for i in range(n):
        crc ^= uint(b[i])
        for k in range(8):
            crc = (crc >> 1) ^ ((crc & 1) * uint(0xA001))
    return crc


@micropython.viper
def signed_steps(x: int, steps: int) -> int:
    # `steps` fixed per call site below; the loops have constant counts.
    if steps == 8:
        for k in range(8):
            if (x & 1) == 0:
                x = x >> 1
            else:
                x = (x >> 1) ^ -0x5B5
    elif steps == 5:
        for k in range(5):
            x = (x >> 1) ^ (-0x5B5 & -(x & 1))
    elif steps == 3:
        for k in range(3):
            x = (x >> 1) ^ ((x & 1) * -0x5B5)
    else:
        for k in range(12):
            if x & 1:
                x = (x >> 1) ^ -0x5B5
            else:
                x >>= 1
    return x


@micropython.viper
def steps_seen(x: uint) -> int:
    # Each step's value is also summed: the steps stay, the result is the same.
    s = 0
    for k in range(8):
        if x & 1:
            x = (x >> 1) ^ uint(0xEDB88320)
        else:
            x >>= 1
        s += int(x & uint(0xFFFF))
    return s + int(x >> 16)


check = b"123456789"
print(hex(crc32c(check, len(check))), hex(crc16_arc(check, len(check))))
data = bytearray((i * 31 + 7) & 255 for i in range(1000))
print(hex(crc32c(data, len(data))), hex(crc16_arc(data, len(data))))
print(crc32c(b"", 0), crc16_arc(b"\x00", 1))
for x in (0, 1, -1, 2, 12345, -12345, 0x3FFFFFFF, -0x40000000):
    print(x, [signed_steps(x, s) for s in (8, 5, 3, 12)])
for x in (0, 1, 0xFFFFFFFF, 0x12345678, 0x80000000):
    print(hex(x), steps_seen(x))
