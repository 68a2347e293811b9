# Words put together byte by byte from one computation on the bytes of
# other words (pixel code). The optimizing tier computes such a word's bytes
# at once in 16-bit SIMD lanes; the results must be the word arithmetic's.
import micropython
import array
import sys

# Machine-word bits: 32 on Thumb-2 and Xtensa. Every line printed is the
# same for both (results masked to 32 bits, or compared with a reference).
W = 64 if sys.maxsize > 2**32 else 32


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


# All the bytes of a word: a subtraction and a left shift, a 4-bit mask.
if W == 64:

    @micropython.viper
    def mix(a: int, b: int, k: int) -> int:
        out = 0
        for s in range(0, 64, 8):
            out |= ((((a >> s) & 255) * k - (((b >> s) & 255) << 3)) & 15) << s
        return out

else:

    @micropython.viper
    def mix(a: int, b: int, k: int) -> int:
        out = 0
        for s in range(0, 32, 8):
            out |= ((((a >> s) & 255) * k - (((b >> s) & 255) << 3)) & 15) << s
        return out


def mix_reference(a, b, k):
    out = 0
    for s in range(0, W, 8):
        out |= ((((a >> s) & 255) * k - (((b >> s) & 255) << 3)) & 15) << s
    return out - (1 << W) if out >> (W - 1) else out


@micropython.viper
def odd_bytes(a: int, b: int, k: int) -> int:
    # Bytes 1 and 3 only, on top of a value whose other bits stay.
    out = a & 0xFF00FF
    out |= (((((a >> 8) & 255) ^ k) * (((b >> 8) & 255) + 3) >> 4) & 255) << 8
    out |= (((((a >> 24) & 255) ^ k) * (((b >> 24) & 255) + 3) >> 4) & 255) << 24
    return out


@micropython.viper
def near_miss(a: int, b: int, k: int) -> int:
    # (E >> 9) & 255 reads bit 16 of E: a 16-bit lane would lose it.
    out = 0
    for s in range(0, 32, 8):
        out |= (((((a >> s) & 255) * k + ((b >> s) & 255) * 300) >> 9) & 255) << s
    return out


@micropython.viper
def moved(a: int, k: int) -> int:
    # Byte s of the source goes to byte s + 8 of the result.
    out = 0
    for s in range(0, 24, 8):
        out |= (((((a >> s) & 255) * k + 77) >> 8) & 255) << (s + 8)
    return out


D0 = array.array("I", [(i * 2654435761) & 0xFFFFFFFF for i in range(64)])
S0 = array.array("I", [(i * 40503 + 7) & 0xFFFFFFFF for i in range(64)])
for alpha in (0, 1, 100, 255, 256, 300, -5, 1 << 40, -(1 << 33) + 17):
    d = array.array("I", D0)
    blend(d, S0, 64, alpha)
    h = 0
    for v in d:
        h = (h * 31 + v) & 0xFFFFFFFF
    print("blend", alpha, d[0], d[1], d[63], h)

words = (0, 1, -1, 0x0123456789ABCDEF, -0x0123456789ABCDEF, 0x7FFFFFFFFFFFFFFF, 0x55AA55AA, 0xFFFFFFFF)
factors = (0, 1, 3, 255, 256, 65537, -1, -300, 1 << 50)
same = True
for a in words:
    for k in factors:
        b = a * 7 + k
        m = 0xFFFFFFFF
        print(hex(odd_bytes(a, b, k) & m), hex(near_miss(a, b, k) & m), hex(moved(a, k) & m))
        same = same and mix(a, b, k) == mix_reference(a, b, k)
print("all bytes", same)

# Many calls, so that tiering up (when enabled) recompiles the functions.
h = 0
for i in range(300):
    h = (h * 33 + near_miss(i * 0x9E3779B9, i, i - 150) + odd_bytes(i << 20, i * i, i)) & 0xFFFFFFFF
    same = same and mix(i * 0x9E3779B9, i, i - 150) == mix_reference(i * 0x9E3779B9, i, i - 150)
print("calls", h, same)
