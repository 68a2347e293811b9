# select.poll over in-memory streams, standard streams and objects with the
# stream protocol's ioctl; errors.
import select, io, sys, errno

print(select.POLLIN, select.POLLOUT, select.POLLERR, select.POLLHUP)


class Pollable:
    def __init__(self):
        self.state = 0
        self.calls = 0

    def ioctl(self, req, arg):
        self.calls += 1
        if self.state < 0:
            return self.state
        return self.state & arg


p = select.poll()
b = io.BytesIO(b"data")
x = Pollable()
p.register(b, select.POLLIN)
p.register(x)
res = p.poll(0)
print(len(res), res[0][0] is b, res[0][1])
x.state = select.POLLOUT
print(sorted(f for o, f in p.poll(0)))
p.modify(b, select.POLLOUT)
x.state = select.POLLIN | select.POLLHUP
print(sorted(f for o, f in p.poll(10)))
p.unregister(b)
p.unregister(b)
print([f for o, f in p.ipoll(0)])
x.state = 0
print(p.poll(0), p.poll(5))
x.state = -errno.EIO
try:
    p.poll(0)
except OSError as e:
    print("OSError", e.errno)
x.state = select.POLLIN
q = select.poll()
q.register(x, select.POLLIN)
print(len(list(q.ipoll(0, 1))), len(list(q.ipoll(0, 1))))
q.modify(x, select.POLLIN)
print(len(list(q.ipoll(0))))
try:
    q.modify(b, select.POLLIN)
except OSError as e:
    print("OSError", e.errno == errno.ENOENT)
try:
    q.modify(x)
except TypeError:
    print("TypeError")
try:
    q.register("not a stream")
except OSError as e:
    print("OSError", e)
s = select.poll()
s.register(sys.stdout, select.POLLOUT)
print(s.poll(0)[0][1])
