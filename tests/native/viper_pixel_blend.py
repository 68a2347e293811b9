# blend two RGBA pixel buffers through ptr32
import micropython
import array


@micropython.viper
def blend(dst, src, n: int, alpha: int):
    d = ptr32(dst)
    s = ptr32(src)
    inv = 256 - alpha
    for i in range(n):
        a = d[i]
        b = s[i]
        out = 0
        for shift in range(0, 32, 8):
            ca = (a >> shift) & 0xFF
            cb = (b >> shift) & 0xFF
            out |= (((ca * inv + cb * alpha) >> 8) & 0xFF) << shift
        d[i] = out


dst = array.array("I", [0xFF000000, 0x00FF00FF, 0x12345678])
src = array.array("I", [0x00FFFFFF, 0xFF00FF00, 0x87654321])
blend(dst, src, 3, 128)
print(["%08x" % v for v in dst])
