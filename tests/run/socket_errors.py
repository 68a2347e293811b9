# socket error paths: refused connections, bad addresses, use after close,
# bad arguments, resolver errors.
import socket, errno


def show(f):
    try:
        r = f()
        print("ok", r)
    except OSError as e:
        code = e.errno
        print("OSError", errno.errorcode.get(code, code) if isinstance(code, int) else code)
    except Exception as e:
        print(type(e).__name__, e)


# A port nothing listens on: bind one, close it, connect to it.
for port in range(47300, 47350):
    t = socket.socket()
    try:
        t.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
        t.close()
        break
    except OSError:
        t.close()
addr = socket.getaddrinfo("127.0.0.1", port)[0][-1]
s = socket.socket()
show(lambda: s.connect(addr))
s.close()

# The same without blocking: the refusal shows in poll as POLLERR and POLLHUP.
import select

s = socket.socket()
s.setblocking(False)
show(lambda: s.connect(addr))
p = select.poll()
p.register(s, select.POLLOUT)
res = p.poll(1000)
print(len(res), res[0][1] & (select.POLLERR | select.POLLHUP) == select.POLLERR | select.POLLHUP)
show(lambda: s.send(b"x"))
s.close()

print("bad addresses")
s = socket.socket()
show(lambda: s.connect(b"\x02\x00"))
show(lambda: s.connect(bytes(addr)[:8]))
show(lambda: s.connect(("127.0.0.1", 80)))
show(lambda: s.bind(None))
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
show(lambda: d.sendto(b"x", b"\x01\x00/tmp/sock" + bytes(8)))
show(lambda: d.sendto(b"x", b"\x02\x00"))
d.close()
show(lambda: s.send(b"x"))
show(lambda: s.recv(1))

print("bad arguments")
show(lambda: s.recv("x"))
show(lambda: s.send(1))
show(lambda: s.setsockopt(socket.SOL_SOCKET, 9999, 1))
show(lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, "x"))
show(lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
show(lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, b"\x01\x00\x00\x00"))
show(lambda: s.listen())
s.setblocking(False)
show(lambda: s.accept())
show(lambda: socket.socket(None))
show(lambda: socket.socket(socket.AF_INET, None))
show(lambda: socket.socket(99))
show(lambda: socket.socket(socket.AF_INET, 123456))
show(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 6))

print("after close")
s.close()
show(lambda: s.recv(1))
show(lambda: s.send(b"1"))
show(lambda: s.bind(addr))
show(lambda: s.setblocking(True))
show(lambda: s.fileno())
show(lambda: s.close())
print(s)

print("module functions")
show(lambda: socket.getaddrinfo("127.0.0.1", "nosuchservice"))
show(lambda: socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET6))
show(lambda: socket.getaddrinfo(1, 80))
show(lambda: socket.getaddrinfo("127.0.0.1", "80", socket.AF_INET, socket.SOCK_STREAM))
show(lambda: socket.getaddrinfo("::1", 80, 0, socket.SOCK_DGRAM))
show(lambda: socket.inet_pton(socket.AF_INET, "1.2.3"))
show(lambda: socket.inet_pton(socket.AF_INET6, "::ffff:1.2.3.4"))
show(lambda: socket.inet_pton(99, "1.2.3.4"))
show(lambda: socket.inet_ntop(socket.AF_INET, b"\x01\x02\x03\x04"))
show(lambda: socket.inet_ntop(socket.AF_INET6, bytes(15) + b"\x01"))
show(lambda: socket.inet_ntop(99, b"\x01\x02\x03\x04"))
show(lambda: socket.sockaddr(socket.getaddrinfo("::1", 8080)[0][-1]))
show(lambda: socket.sockaddr(b"\x01\x00abc"))
