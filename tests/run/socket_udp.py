# UDP datagrams over loopback: sendto/recvfrom, connected send/recv,
# timeouts and non-blocking receives.
import socket, select, errno


def bound(base):
    for port in range(base, base + 50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
        except OSError as e:
            s.close()
            if e.errno == errno.EADDRINUSE:
                continue
            raise
        return s, port
    raise OSError(errno.EADDRINUSE)


a, pa = bound(47200)
b, pb = bound(pa + 1)
# Timeouts, so a failure cannot hang the test.
a.settimeout(5)
b.settimeout(5)
addr_a = socket.getaddrinfo("127.0.0.1", pa, 0, socket.SOCK_DGRAM)[0]
print(addr_a[:4])
addr_a = addr_a[-1]
addr_b = socket.getaddrinfo("127.0.0.1", pb)[1][-1]

print(b.sendto(b"datagram 1", addr_a))
data, sender = a.recvfrom(100)
print(data, type(sender), socket.sockaddr(sender)[:2], socket.sockaddr(sender)[2] == pb)

# A datagram longer than the buffer is cut.
b.sendto(b"0123456789", addr_a)
print(a.recv(4))

# Connected datagram sockets.
a.connect(addr_b)
print(a.send(b"to b"))
print(b.recv(10))
print(a.write(b"written"), b.read(7))

# Timeouts: recv reports EAGAIN, the stream read ETIMEDOUT (as MicroPython).
a.settimeout(0.05)
for f in (lambda: a.recv(1), lambda: a.read(1)):
    try:
        f()
    except OSError as e:
        print(errno.errorcode[e.errno])
a.settimeout(None)

# Non-blocking: EAGAIN, None from the stream methods, poll sees data.
a.settimeout(0)
try:
    a.recvfrom(10)
except OSError as e:
    print("recvfrom:", errno.errorcode[e.errno])
print(a.read(1), a.readinto(bytearray(1)), a.readline())
p = select.poll()
p.register(a, select.POLLIN)
print(p.poll(0))
b.sendto(b"!", addr_a)
print([(o is a, ev) for o, ev in p.poll(1000)])
print(a.recv(5))

# sendto with flags.
b.sendto(b"flags", 0, addr_a)
print(a.recv(5, socket.MSG_PEEK), a.recv(5))
a.close()
b.close()
