# a checksum over a bytearray (Fletcher-16)
import micropython


@micropython.viper
def fletcher16(buf, n: int) -> int:
    p = ptr8(buf)
    s1 = 0
    s2 = 0
    for i in range(n):
        s1 = (s1 + p[i]) % 255
        s2 = (s2 + s1) % 255
    return (s2 << 8) | s1


data = bytearray(range(256)) * 4
print(fletcher16(data, int(len(data))), fletcher16(b"abcde", 5))
