# TCP over loopback between two sockets of one program: blocking set-up,
# then a non-blocking echo driven by select.poll, the stream methods, and
# end of stream.
import socket, select, errno


def listener(base):
    # MicroPython's unix port has no getsockname(): try ports until one is free.
    for port in range(base, base + 50):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
        except OSError as e:
            s.close()
            if e.errno == errno.EADDRINUSE:
                continue
            raise
        s.listen(2)
        return s, port
    raise OSError(errno.EADDRINUSE)


srv, port = listener(47100)
addr = socket.getaddrinfo("127.0.0.1", port)[0][-1]
print(socket.sockaddr(addr)[0] == socket.AF_INET, socket.sockaddr(addr)[1])

# Timeouts everywhere, so a failure cannot hang the test.
srv.settimeout(5)
cli = socket.socket()
cli.settimeout(5)
cli.connect(addr)
conn, peer = srv.accept()
conn.settimeout(5)
print(type(peer), socket.sockaddr(peer)[:2])
print(type(conn), conn.fileno() >= 0, conn.fileno() != cli.fileno())

# Blocking send/recv.
print(cli.send(b"hello"))
print(conn.recv(5))
cli.sendall(b"line one\nline two\n")
print(conn.readline())
print(conn.read(9))

# Non-blocking, with poll.
cli.setblocking(False)
conn.setblocking(False)
try:
    cli.recv(10)
except OSError as e:
    print("recv would block:", e.errno == errno.EAGAIN)
print("read without data:", cli.read(10))
print("readline without data:", cli.readline())

p = select.poll()
p.register(conn, select.POLLIN)
p.register(cli, select.POLLIN)
print("idle:", p.poll(0))
print(cli.write(b"ping"))
ready = p.poll(1000)
print(len(ready), ready[0][0] is conn, ready[0][1])
buf = bytearray(8)
n = conn.readinto(buf)
print(n, bytes(buf[:n]))
conn.write(b"pong!")
for obj, ev in p.ipoll(1000):
    print(obj is cli, ev)
print(cli.recv(16))

# makefile() gives a stream over the same socket.
f = cli.makefile("rwb")
f.write(b"via file\n")
p.modify(conn, select.POLLIN)
p.poll(1000)
print(conn.readline())

# Writable flags, then end of stream after the peer closes.
p.modify(cli, select.POLLOUT)
print([(o is cli, ev) for o, ev in p.poll(0) if o is cli])
cli.close()
ev = p.poll(1000)
print([(o is conn, e & select.POLLIN) for o, e in ev])
print("eof:", conn.recv(10), conn.read())
conn.close()
srv.close()
print(cli.fileno(), conn.fileno(), srv.fileno())
