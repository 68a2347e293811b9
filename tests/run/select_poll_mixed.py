# select.poll over sockets, integer handles and stream-protocol objects in one
# poll object: flags, one-shot ipoll, POLLNVAL after close, timeouts.
import socket, select, time, io, errno


class Pollable(io.IOBase):
    def __init__(self):
        self.state = 0

    def ioctl(self, req, arg):
        if req == 3:
            return self.state if self.state < 0 else self.state & arg
        return -errno.EINVAL


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


u, port = bound(47400)
addr = socket.getaddrinfo("127.0.0.1", port)[0][-1]
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
x = Pollable()

p = select.poll()
p.register(u, select.POLLIN)
p.register(v.fileno(), select.POLLOUT)
p.register(x, select.POLLIN)


def names(res):
    out = []
    for o, ev in res:
        out.append(("u" if o is u else "x" if o is x else "fd" if isinstance(o, int) else "?", ev))
    return out


print(names(p.poll(0)))
x.state = select.POLLIN
print(names(p.poll(0)))
v.sendto(b"hi", addr)
print(names(p.poll(1000)))
print(u.recv(2))

# Stream objects becoming ready while the host handles are idle.
x.state = 0
p.modify(v.fileno(), select.POLLIN)
t0 = time.ticks_ms()
print(names(p.poll(120)))
dt = time.ticks_diff(time.ticks_ms(), t0)
print("waited", 100 <= dt < 1000)

# One-shot ipoll: reported entries stop reporting.
x.state = select.POLLIN
p.modify(v.fileno(), select.POLLOUT)
print(names(list(p.ipoll(0, 1))))
print(names(list(p.ipoll(0))))

# A handle closed while registered reports POLLNVAL; unregister removes it.
w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
q = select.poll()
q.register(w)
w.close()
print(q.poll(0)[0][1])
q.unregister(w)
print(q.poll(0))

# Only host handles: a timeout is honoured by blocking.
q.register(u, select.POLLIN)
t0 = time.ticks_ms()
print(q.poll(150))
dt = time.ticks_diff(time.ticks_ms(), t0)
print("blocked", 130 <= dt < 1000)

# A stream object reporting an error.
x.state = -1
try:
    p.poll(0)
except OSError as e:
    print("OSError", e.errno)
try:
    p.register(-1)
except ValueError:
    print("ValueError")
try:
    p.register("not a stream")
except OSError as e:
    print("OSError", e)
u.close()
v.close()
