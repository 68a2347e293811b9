# `%` by a constant where the dividend's range is known to stay below twice
# the divisor (as Fletcher's sums in viper_checksum.py) and where it is not.
import micropython


@micropython.viper
def edges(x: int) -> int:
    # x & 255 is in [0, 255]; + 254 gives [254, 509]: below 2 * 255.
    y = (x & 255) + 254
    return y % 255


print([edges(v) for v in (0, 1, 2, 254, 255, 256, 511)])


@micropython.viper
def wider(x: int) -> int:
    # [0, 1023] is not below 2 * 7: the general path.
    return (x & 1023) % 7


print([wider(v) for v in (0, 6, 7, 13, 14, 1023, -1)])


@micropython.viper
def mod_one_and_two(x: int) -> int:
    a = (x & 1) % 1
    b = (x & 3) % 2
    c = (x & 1) % 2
    return a * 100 + b * 10 + c


print([mod_one_and_two(v) for v in range(5)])
