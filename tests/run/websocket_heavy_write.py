# websocket writes: the largest frame (16-bit length) and one byte more (too big).
# (Needs more than the 64 KiB GC-stress heap: "heavy".)
import io, errno, websocket

s = io.BytesIO()
print(websocket.websocket(s).write(bytes(0xFFFF)), s.getvalue()[:4])
try:
    websocket.websocket(io.BytesIO()).write(bytes(0x10000))
except OSError as e:
    print("ENOBUFS", e.errno == errno.ENOBUFS)
