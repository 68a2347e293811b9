# websocket for ferropy: MicroPython's `websocket.websocket(stream, blocking_write=False)`,
# a stream that reads and writes RFC 6455 frames over another stream (a socket, or
# an io.BytesIO in tests). Reads return the payload of data frames (fragments
# joined, masks removed; ping/pong frames skipped, a close frame answered and
# reported as end of stream); writes send one unmasked frame per call. As
# MicroPython: 64-bit payload lengths are not supported (OSError EIO, the
# stream is closed), nor writes of 64 KiB or more (OSError ENOBUFS).
# Frozen into the `ferropy` command.

import errno

_HEADER = 0
_OPTIONS = 1
_PAYLOAD = 2
_CONTROL = 3

_OPCODE = 0x0F
_CLOSE = 0x08
_TEXT = 0x01
_BLOCKING_WRITE = 0x80

# Stream-protocol ioctl requests.
_IOCTL_CLOSE = 4
_IOCTL_GET_DATA_OPTS = 8
_IOCTL_SET_DATA_OPTS = 9


class websocket:
    def __init__(self, sock, blocking_write=False):
        self.sock = sock
        self._state = _HEADER
        self._want = 2  # header bytes still to read into _hdr
        self._hdr = b""
        self._left = 0  # payload bytes left in the current frame
        self._mask = b"\x00\x00\x00\x00"
        self._mask_pos = 0
        self._opts = _TEXT | (_BLOCKING_WRITE if blocking_write is True else 0)
        self._data_flags = 0  # flags of the last data frame
        self._frame_flags = 0  # flags of the current frame

    # Reads the header bytes still wanted: True when complete, b"" at the end of
    # the stream, None when they have not all arrived yet (as MicroPython, a
    # short read counts as "no data yet").
    def _fill(self):
        d = self.sock.read(self._want)
        if not d:
            return d
        self._hdr += d
        self._want -= len(d)
        return None if self._want else True

    # One step of reading: up to `size` payload bytes, b"" at the end, None if no data yet.
    def _read_some(self, size):
        while True:
            if self._want:
                got = self._fill()
                if got is not True:
                    return got
            if self._state == _HEADER:
                b0 = self._hdr[0]
                b1 = self._hdr[1]
                self._frame_flags = b0
                if b0 & _OPCODE == 0:
                    # A continuation keeps the opcode of the message it continues.
                    self._data_flags = (self._data_flags & _OPCODE) | (b0 & ~_OPCODE & 0xFF)
                else:
                    self._data_flags = b0
                self._mask = b"\x00\x00\x00\x00"
                length = b1 & 0x7F
                extra = 0
                if length == 126:
                    extra = 2
                elif length == 127:
                    self.sock.close()
                    raise OSError(errno.EIO)
                if b1 & 0x80:
                    extra += 4
                self._hdr = b""
                self._want = extra
                self._left = length
                self._state = _OPTIONS if extra else self._body_state()
                continue
            if self._state == _OPTIONS:
                opt = self._hdr
                if len(opt) & 2:
                    self._left = (opt[0] << 8) | opt[1]
                if len(opt) & 4:
                    self._mask = opt[-4:]
                self._hdr = b""
                self._state = self._body_state()
                continue
            out = b""
            if self._left:
                d = self.sock.read(min(size, self._left))
                if not d:
                    return d
                mask = self._mask
                pos = self._mask_pos
                out = bytes(d[i] ^ mask[(pos + i) & 3] for i in range(len(d)))
                self._mask_pos = pos + len(d)
                self._left -= len(d)
            if self._left == 0:
                was = self._state
                self._state = _HEADER
                self._want = 2
                self._mask_pos = 0
                self._hdr = b""
                if was == _CONTROL:
                    if self._frame_flags & _OPCODE == _CLOSE:
                        self._send(b"\x88\x00", b"")
                        return b""
                    # Ping and pong payloads are dropped.
                    continue
            if out:
                return out
            # An empty data frame is not the end of the stream.

    def _body_state(self):
        return _CONTROL if self._frame_flags & _OPCODE >= _CLOSE else _PAYLOAD

    def read(self, size=-1):
        chunks = []
        got = 0
        while size < 0 or got < size:
            d = self._read_some(0x7FFFFFFF if size < 0 else size - got)
            if d is None:
                if not chunks:
                    return None
                break
            if not d:
                break
            chunks.append(d)
            got += len(d)
        return b"".join(chunks)

    def readinto(self, buf, size=-1):
        n = len(buf) if size < 0 else min(size, len(buf))
        d = self.read(n)
        if d is None:
            return None
        buf[: len(d)] = d
        return len(d)

    def readline(self, size=-1):
        out = b""
        while size < 0 or len(out) < size:
            c = self.read(1)
            if not c:
                break
            out += c
            if c == b"\n":
                break
        return out

    def write(self, buf):
        if isinstance(buf, str):
            buf = buf.encode()
        n = len(buf)
        if n >= 0x10000:
            raise OSError(errno.ENOBUFS)
        first = 0x80 | (self._opts & _OPCODE)
        if n < 126:
            header = bytes((first, n))
        else:
            header = bytes((first, 126, n >> 8, n & 0xFF))
        self._send(header, buf)
        return n

    def _send(self, header, data):
        blocking = self._opts & _BLOCKING_WRITE
        if blocking:
            self.sock.setblocking(True)
        try:
            for part in (header, data):
                part = memoryview(part)
                while part:
                    n = self.sock.write(part)
                    if n is None:
                        raise OSError(errno.EAGAIN)
                    part = part[n:]
        finally:
            if blocking:
                self.sock.setblocking(False)

    def ioctl(self, req, arg=0):
        if req == _IOCTL_CLOSE:
            self.sock.close()
            return 0
        if req == _IOCTL_GET_DATA_OPTS:
            return self._data_flags & _OPCODE
        if req == _IOCTL_SET_DATA_OPTS:
            cur = self._opts & _OPCODE
            self._opts = (self._opts & ~_OPCODE) | (arg & _OPCODE)
            return cur
        raise OSError(errno.EINVAL)

    def close(self):
        self.ioctl(_IOCTL_CLOSE)
