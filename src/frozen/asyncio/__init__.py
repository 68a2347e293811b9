# asyncio for ferropy: MicroPython's asyncio API (run, create_task, sleep,
# sleep_ms, gather, wait_for, wait_for_ms, Event, ThreadSafeFlag, Lock, Loop,
# streams) on generators. Written for ferropy; frozen into the `ferropy` command.
#
# The loop keeps a FIFO of ready tasks and a heap of sleeping ones (deadline,
# sequence number). A task that waits for something is "parked": it gets a new
# token, and whatever wakes it up must present that token, so a task that was
# cancelled or woken some other way in the meantime is not run twice.

from time import ticks_ms, ticks_diff, ticks_add, sleep_ms as _sleep_ms
import heapq
import sys

try:
    import select as _select
except ImportError:
    _select = None

__version__ = (3, 0, 0)


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


# ----- the clock (milliseconds, never wrapping) -----

_last_tick = ticks_ms()
_clock_ms = 0


def _now():
    global _last_tick, _clock_ms
    t = ticks_ms()
    _clock_ms += ticks_diff(t, _last_tick)
    _last_tick = t
    return _clock_ms


# ----- scheduler state -----


class _Sched:
    def __init__(self):
        self.ready = []  # (task, token, throw)
        self.timers = []  # (deadline, seq, task, token)
        self.seq = 0
        self.cur = None
        self.stopped = False
        self.unreported = []
        self.io = None
        self.handler = None


_s = _Sched()


def _park(t):
    t._token += 1
    return t._token


def _wake(t, token, exc=None):
    # Resume `t` soon if it is still waiting on what handed out `token`.
    if t._token == token and t._state is None:
        _ready(t, exc)


def _ready(t, exc=None):
    t._token += 1
    t._queued = t._token
    _s.ready.append((t, t._token, exc))


def _call_soon(fn):
    _s.ready.append((fn, None, None))


def _at(t, delay_ms):
    t._token += 1
    _s.seq += 1
    heapq.heappush(_s.timers, (_now() + max(0, delay_ms), _s.seq, t, t._token))


class Task:
    def __init__(self, coro, name=None):
        self.coro = coro
        self.data = None
        self._state = None  # None: pending, True: finished
        self._result = None
        self._exc = None
        self._token = 0
        self._callbacks = []
        self._retrieved = False
        self._queued = -1  # token of its entry in the ready queue
        self._must_cancel = None  # CancelledError to throw when it next runs
        self._awaiting = None  # the Task this one awaits
        self._waiters = 0  # tasks awaiting this one
        self._gathered = False  # a gather() waits for it: nothing else may

    def __repr__(self):
        return "<Task>"

    def done(self):
        return self._state is True

    def cancelled(self):
        return self.done() and isinstance(self._exc, CancelledError)

    def cancel(self, msg=None):
        if self.done():
            return False
        if self is _s.cur:
            raise RuntimeError("can't cancel self")
        inner = self._awaiting
        if inner is not None and not inner.done() and self._queued != self._token:
            # Waiting for another task: cancel that one; this task then sees
            # its outcome (CancelledError, or a result if it refused).
            if inner.cancel(msg):
                return True
        exc = CancelledError() if msg is None else CancelledError(msg)
        if self._queued == self._token:
            # Already due to run: it gets the error then, keeping its place.
            if self._must_cancel is None:
                self._must_cancel = exc
        else:
            _ready(self, exc)
        return True

    def result(self):
        if not self.done():
            raise RuntimeError("task not done")
        self._retrieved = True
        if self._exc is not None:
            raise self._exc
        return self._result

    def exception(self):
        self._retrieved = True
        return self._exc

    def add_done_callback(self, cb):
        if self.done():
            cb(self)
        else:
            self._callbacks.append(cb)

    def _finish(self, result, exc):
        self._state = True
        self._result = result
        self._exc = exc
        cbs = self._callbacks
        self._callbacks = []
        for cb in cbs:
            cb(self)
        # An exception nobody waits for is reported after the current round,
        # unless it is retrieved by then.
        if exc is not None and not cbs and not self._retrieved and not isinstance(exc, CancelledError):
            _s.unreported.append(self)

    def __iter__(self):
        if not self.done():
            # As MicroPython: a task being gathered has no other waiter.
            if self._gathered:
                raise RuntimeError("can't wait")
            waiter = _s.cur
            token = _park(waiter)
            self._callbacks.append(lambda t: _wake(waiter, token))
            waiter._awaiting = self
            self._waiters += 1
            try:
                yield
            finally:
                waiter._awaiting = None
                self._waiters -= 1
        self._retrieved = True
        if self._exc is not None:
            raise self._exc
        return self._result

    __await__ = __iter__


def _step(t, exc):
    _s.cur = t
    t._queued = -1
    if t._must_cancel is not None:
        exc = t._must_cancel
        t._must_cancel = None
    try:
        if exc is not None:
            t.coro.throw(exc)
        else:
            t.coro.send(None)
    except StopIteration as e:
        t._finish(e.value, None)
    except CancelledError as e:
        t._finish(None, e)
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            _s.cur = None
            raise
        t._finish(None, e)
    _s.cur = None


def _report_unretrieved():
    pending = _s.unreported
    _s.unreported = []
    for t in pending:
        if not t._retrieved:
            t._retrieved = True
            _loop.call_exception_handler({"message": "Task exception wasn't retrieved", "future": t, "exception": t._exc})


def _wait_idle(ms):
    # Nothing to run for `ms` milliseconds (-1: until I/O, if any is awaited).
    if _s.io is not None and _s.io.count:
        _s.io.wait(ms)
    elif ms > 0:
        _sleep_ms(ms)


def _run_until(main):
    # Runs the loop until `main` (a Task or None for "until stopped") is done.
    _s.stopped = False
    while True:
        if main is not None and main.done():
            return
        if _s.stopped:
            return
        if _s.timers:
            now = _now()
            while _s.timers and _s.timers[0][0] <= now:
                _, _, t, token = heapq.heappop(_s.timers)
                _wake(t, token)
        if not _s.ready:
            if _s.timers:
                _wait_idle(_s.timers[0][0] - _now())
            elif _s.io is not None and _s.io.count:
                _s.io.wait(-1)
            elif main is not None:
                # Only something outside the loop (an interrupt or scheduled
                # handler) can wake a task now: wait for it.
                _sleep_ms(1)
            else:
                return
            if _s.io is not None and _s.io.count:
                _s.io.wait(0)
            continue
        if _s.io is not None and _s.io.count:
            _s.io.wait(0)
        batch = _s.ready
        _s.ready = []
        for t, token, exc in batch:
            if token is None:
                t()
            elif t._token == token and t._state is None:
                _step(t, exc)
                if _s.stopped:
                    # Keep the rest of the batch for a later run.
                    _s.ready = batch[batch.index((t, token, exc)) + 1 :] + _s.ready
                    _report_unretrieved()
                    return
        _report_unretrieved()


# ----- public API -----


def create_task(coro):
    if isinstance(coro, Task):
        return coro
    if not hasattr(coro, "send"):
        raise TypeError("coroutine expected")
    t = Task(coro)
    _ready(t)
    return t


def ensure_future(obj):
    return create_task(obj)


def current_task():
    if _s.cur is None:
        raise RuntimeError("no running event loop")
    return _s.cur


_MAX_SLEEP = ticks_add(0, -1) // 2


def _sleep_gen(ms):
    if ms > _MAX_SLEEP:
        raise OverflowError("sleep too long")
    if ms <= 0:
        _ready(_s.cur)
    else:
        _at(_s.cur, ms)
    yield


def sleep_ms(ms):
    return _sleep_gen(int(ms))


def sleep(s):
    return _sleep_gen(int(s * 1000))


def run(coro):
    return get_event_loop().run_until_complete(coro)


def _release_gathered(children, done):
    # Children still running after the gather ended may be awaited again.
    for c in children:
        if not c.done():
            c._gathered = False
            if done in c._callbacks:
                c._callbacks.remove(done)


def _cancelled_gather(children):
    for c in children:
        c.cancel()


async def gather(*aws, return_exceptions=False):
    if not aws:
        return []
    children = [create_task(a) for a in aws]
    for c in children:
        # As MicroPython: a task some other task awaits can't be gathered.
        if not c.done() and c._waiters:
            raise RuntimeError("can't gather")
    state = {"left": len(children), "error": None}
    waiter = _s.cur
    token = _park(waiter)

    def done(t):
        state["left"] -= 1
        if t._exc is not None and not return_exceptions:
            if state["error"] is None:
                state["error"] = t._exc
                t._retrieved = True
                _wake(waiter, token)
        elif state["left"] == 0:
            _wake(waiter, token)

    for c in children:
        if c.done():
            state["left"] -= 1
            if c._exc is not None and not return_exceptions and state["error"] is None:
                state["error"] = c._exc
        else:
            c._gathered = True
            c._callbacks.append(done)
    if state["error"] is None and state["left"] > 0:
        try:
            yield
        except CancelledError:
            _release_gathered(children, done)
            _cancelled_gather(children)
            raise
    _release_gathered(children, done)
    if state["error"] is not None:
        raise state["error"]
    out = []
    for c in children:
        c._retrieved = True
        out.append(c._exc if c._exc is not None else c._result)
    return out


async def wait_for(aw, timeout):
    t = create_task(aw)
    if timeout is None:
        return await t
    me = _s.cur
    token = _park(me)
    # The wake-up takes one more round after the task ends, as in MicroPython.
    t._callbacks.append(lambda _: _call_soon(lambda: _wake(me, token)))
    _s.seq += 1
    heapq.heappush(_s.timers, (_now() + max(0, int(timeout * 1000)), _s.seq, me, token))
    try:
        yield
    except CancelledError as e:
        t.cancel()
        raise e
    if not t.done():
        # Timed out: cancel the task, wait for it to end, then report the timeout.
        t.cancel()
        token = _park(me)
        t._callbacks.append(lambda _: _wake(me, token))
        yield
        t._retrieved = True
        raise TimeoutError
    t._retrieved = True
    if t._exc is not None:
        raise t._exc
    return t._result


def wait_for_ms(aw, timeout):
    return wait_for(aw, timeout / 1000)


class Event:
    def __init__(self):
        self.state = False
        self._waiting = []

    def is_set(self):
        return self.state

    def set(self):
        self.state = True
        waiting = self._waiting
        self._waiting = []
        for t, token in waiting:
            _wake(t, token)

    def clear(self):
        self.state = False

    async def wait(self):
        if not self.state:
            t = _s.cur
            self._waiting.append((t, _park(t)))
            yield
        return True


class ThreadSafeFlag:
    # Set from anywhere (also interrupt or scheduled handlers); a waiting task
    # is woken by the loop one round later, as by MicroPython's I/O poll.
    def __init__(self):
        self.state = False
        self._waiting = None

    def set(self):
        self.state = True
        w = self._waiting
        if w is not None:
            self._waiting = None
            _call_soon(lambda: _wake(w[0], w[1]))

    def clear(self):
        self.state = False

    async def wait(self):
        while not self.state:
            t = _s.cur
            self._waiting = (t, _park(t))
            yield
        self.state = False


class Lock:
    def __init__(self):
        self.state = False
        self._waiting = []  # [task, token, woken]

    def locked(self):
        return self.state

    def _wake_first(self):
        # Only the first waiter: if it is already woken, it takes the lock.
        if self._waiting and not self._waiting[0][2]:
            w = self._waiting[0]
            w[2] = True
            _wake(w[0], w[1])

    def release(self):
        if not self.state:
            raise RuntimeError("Lock not acquired")
        self.state = False
        self._wake_first()

    async def acquire(self):
        if not self.state and not self._waiting:
            self.state = True
            return True
        t = _s.cur
        entry = [t, _park(t), False]
        self._waiting.append(entry)
        try:
            try:
                yield
            finally:
                self._waiting.remove(entry)
        except CancelledError as e:
            if not self.state:
                self._wake_first()
            raise e
        self.state = True
        return True

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


# ----- I/O waiting (select.poll) and streams -----


class _IOQueue:
    def __init__(self):
        self.poller = _select.poll()
        self.map = {}  # id(stream) -> [stream, reader (task, token), writer (task, token)]
        self.count = 0

    def _register(self, s):
        flags = 0
        e = self.map[id(s)]
        if e[1] is not None:
            flags |= _select.POLLIN
        if e[2] is not None:
            flags |= _select.POLLOUT
        if flags:
            self.poller.register(s, flags)
        else:
            self.poller.unregister(s)
            del self.map[id(s)]

    def add(self, s, idx):
        e = self.map.get(id(s))
        if e is None:
            e = self.map[id(s)] = [s, None, None]
        t = _s.cur
        e[idx] = (t, _park(t))
        self.count += 1
        self._register(s)

    def remove(self, s):
        # Forgets stream `s` (being closed) and whoever waited on it.
        e = self.map.pop(id(s), None)
        if e is not None:
            self.count -= (e[1] is not None) + (e[2] is not None)
            self.poller.unregister(s)

    def wait(self, ms):
        for s, ev in self.poller.ipoll(ms):
            e = self.map.get(id(s))
            if e is None:
                continue
            for idx, bit in ((1, _select.POLLIN), (2, _select.POLLOUT)):
                # 32: the handle was closed (POLLNVAL); its waiter must see that too.
                if e[idx] is not None and ev & (bit | _select.POLLERR | _select.POLLHUP | 32):
                    t, token = e[idx]
                    e[idx] = None
                    self.count -= 1
                    _wake(t, token)
            self._register(s)


def _io_wait(s, idx):
    if _select is None:
        return
    if _s.io is None:
        _s.io = _IOQueue()
    _s.io.add(s, idx)
    yield


class Stream:
    def __init__(self, s, e={}):
        self.s = s
        self.e = e
        self.out_buf = b""

    def get_extra_info(self, v):
        return self.e.get(v)

    async def read(self, n=-1):
        # n < 0: everything up to the end of the stream; else one read of at most n.
        r = b""
        while True:
            yield from _io_wait(self.s, 1)
            d = self.s.read() if n < 0 else self.s.read(n)
            if d is None:
                # Woken without data after all (a non-blocking stream): wait again.
                continue
            if n >= 0:
                return d
            if not d:
                return r
            r += d

    async def readinto(self, buf):
        yield from _io_wait(self.s, 1)
        return self.s.readinto(buf)

    async def readexactly(self, n):
        r = b""
        while n:
            yield from _io_wait(self.s, 1)
            d = self.s.read(n)
            if d is None:
                # Woken without data after all (a non-blocking stream): wait again.
                continue
            if not d:
                raise EOFError
            r += d
            n -= len(d)
        return r

    async def readline(self):
        yield from _io_wait(self.s, 1)
        return self.s.readline()

    def write(self, buf):
        # Written at once when nothing is pending (errors such as a closed
        # stream show here); what the stream does not take waits for drain().
        if not self.out_buf:
            n = self.s.write(buf)
            if n is None:
                n = 0
            buf = buf[n:]
        self.out_buf += buf

    async def drain(self):
        data = self.out_buf
        self.out_buf = b""
        if not data:
            # Always a scheduling point, so write+drain loops let others run.
            yield from _sleep_gen(0)
        while data:
            yield from _io_wait(self.s, 2)
            n = self.s.write(data)
            if n:
                data = data[n:]

    def close(self):
        pass

    async def wait_closed(self):
        if _s.io is not None:
            _s.io.remove(self.s)
        if hasattr(self.s, "close"):
            self.s.close()

    aclose = wait_closed

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.wait_closed()


StreamReader = Stream
StreamWriter = Stream


async def open_connection(host, port, ssl=None, server_hostname=None):
    # A TCP connection to (host, port) as a (reader, writer) pair (one Stream).
    import socket

    if ssl is not None:
        raise NotImplementedError("ssl")
    ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
    s = socket.socket(ai[0], ai[1], ai[2])
    s.setblocking(False)
    try:
        s.connect(ai[-1])
    except OSError as er:
        if er.errno != 115:  # EINPROGRESS: the connection completes in the background
            s.close()
            raise
    yield from _io_wait(s, 2)
    st = Stream(s, {"peername": ai[-1]})
    return st, st


class Server:
    # A listening socket whose connections are handed to a callback, from a task.
    def __init__(self, s, cb):
        self.s = s
        self._closed = False
        self.task = create_task(self._serve(cb))
        # However the task ends (even cancelled before it first ran), the socket goes.
        self.task.add_done_callback(self._release)

    def _release(self, _task=None):
        if self.s is not None:
            if _s.io is not None:
                _s.io.remove(self.s)
            self.s.close()
            self.s = None

    async def _serve(self, cb):
        s = self.s
        while True:
            yield from _io_wait(s, 1)
            try:
                s2, addr = s.accept()
            except OSError:
                # The client gave up before being accepted (or a spurious wake-up).
                continue
            s2.setblocking(False)
            st = Stream(s2, {"peername": addr})
            create_task(cb(st, st))

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._release()
        self.task.cancel()

    async def wait_closed(self):
        try:
            await self.task
        except CancelledError:
            # Cancelled by close() is the normal end; otherwise pass it on.
            if not self._closed:
                raise

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.close()
        await self.wait_closed()


async def start_server(cb, host, port, backlog=5, ssl=None):
    # Listens on (host, port); cb(reader, writer) runs as a task per connection.
    import socket

    if ssl is not None:
        raise NotImplementedError("ssl")
    ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]
    s = socket.socket(ai[0], ai[1], ai[2])
    try:
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(ai[-1])
        s.listen(backlog)
    except BaseException:
        s.close()
        raise
    return Server(s, cb)


# ----- the event loop object -----


class Loop:
    def create_task(self, coro):
        return create_task(coro)

    def run_forever(self):
        _run_until(None)

    def run_until_complete(self, aw):
        t = create_task(aw)
        t._retrieved = True
        _run_until(t)
        if not t.done():
            raise RuntimeError("event loop stopped before the task completed")
        t._retrieved = True
        if t._exc is not None:
            raise t._exc
        return t._result

    def stop(self):
        _s.stopped = True

    def close(self):
        pass

    def set_exception_handler(self, handler):
        _s.handler = handler

    def get_exception_handler(self):
        return _s.handler

    def default_exception_handler(self, context):
        print(context["message"])
        print("future:", context["future"], "coro=", context["future"].coro)
        sys.print_exception(context["exception"])

    def call_exception_handler(self, context):
        (_s.handler or Loop.default_exception_handler)(self, context)


_loop = Loop()


def get_event_loop(runq_len=0, waitq_len=0):
    return _loop


def new_event_loop():
    global _s
    _s = _Sched()
    return _loop
