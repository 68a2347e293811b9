# framebuf: every pixel format, fills, lines, rectangles, ellipses, scroll,
# blit with key and palette, bounds checks, and constructor errors.
import framebuf


def show(fb, w, h):
    for y in range(h):
        print("".join("%x" % fb.pixel(x, y) for x in range(w)))


for fmt, name, size in ((framebuf.MONO_VLSB, "VLSB", 8), (framebuf.MONO_HLSB, "HLSB", 8),
                        (framebuf.MONO_HMSB, "HMSB", 8), (framebuf.GS2_HMSB, "GS2", 16),
                        (framebuf.GS4_HMSB, "GS4", 32), (framebuf.GS8, "GS8", 64),
                        (framebuf.RGB565, "RGB565", 128)):
    buf = bytearray(size)
    fb = framebuf.FrameBuffer(buf, 8, 8, fmt)
    fb.fill(0)
    fb.line(0, 0, 7, 5, 1)
    fb.rect(1, 1, 4, 3, 1)
    fb.hline(-2, 7, 20, 1)
    fb.vline(7, -3, 5, 1)
    fb.pixel(6, 6, 1)
    print(name, fb.pixel(0, 0), fb.pixel(8, 0), fb.pixel(-1, 0))
    show(fb, 8, 8)
    print(bytes(buf[:8]))
    fb.scroll(2, 1)
    fb.scroll(-1, 0)
    show(fb, 8, 8)

fb = framebuf.FrameBuffer(bytearray(12 * 10), 12, 10, framebuf.GS8)
fb.fill(0)
fb.ellipse(5, 4, 4, 3, 7)
fb.ellipse(5, 4, 2, 2, 3, True)
fb.ellipse(11, 9, 3, 2, 5, False, 0b0010)
fb.fill_rect(-3, -3, 5, 5, 9)
show(fb, 12, 10)
src = framebuf.FrameBuffer(bytearray(b"\x01\x02\x00\x03"), 2, 2, framebuf.GS8)
pal = framebuf.FrameBuffer(bytearray(b"\x00\x0a\x0b\x0c"), 4, 1, framebuf.GS8)
fb.fill(0)
fb.blit(src, 0, 0)
fb.blit(src, 3, 0, 0)
fb.blit(src, 6, 0, -1, pal)
fb.blit((b"\x0e\x0f", 2, 1, framebuf.GS8), 10, 9)
fb.blit(src, -1, -1)
show(fb, 12, 2)
print(fb.pixel(10, 9), fb.pixel(11, 9))

for args in ((bytearray(7), 8, 1, framebuf.MONO_VLSB), (bytearray(8), 8, 8, framebuf.MONO_VLSB, 7),
             (bytearray(8), -1, 8, framebuf.GS8), (bytearray(8), 2, 2, 99)):
    try:
        framebuf.FrameBuffer(*args)
        print("no error")
    except ValueError:
        print("ValueError")
try:
    fb.blit((1, 2, 3), 0, 0)
except ValueError:
    print("ValueError")
try:
    framebuf.FrameBuffer(b"abcd", 2, 2, framebuf.GS8)
except TypeError:
    print("TypeError")
