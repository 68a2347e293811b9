# asyncio: tasks, sleep ordering, gather, wait_for, Event, Lock, cancellation,
# exception handler and error paths (expected output from CPython).
import asyncio


async def worker(name, delay, log):
    await asyncio.sleep(delay)
    log.append(name)
    return name.upper()


async def failing(delay):
    await asyncio.sleep(delay)
    raise ValueError("bad", delay)


async def forever(log):
    try:
        while True:
            await asyncio.sleep(0.01)
    except asyncio.CancelledError:
        log.append("cancelled")
        raise


def handler(loop, context):
    print("handler:", repr(context["exception"]))


async def main():
    log = []
    t1 = asyncio.create_task(worker("b", 0.1, log))
    t2 = asyncio.create_task(worker("a", 0.02, log))
    print(await t1, await t2, log, t1.done())

    print(await asyncio.gather(worker("x", 0.02, log), worker("y", 0.01, log)))
    print(await asyncio.gather())
    print(await asyncio.gather(failing(0), worker("z", 0, log), return_exceptions=True))
    try:
        await asyncio.gather(failing(0.01), worker("w", 0.02, log))
    except ValueError as e:
        print("gather raised", e.args)

    print(await asyncio.wait_for(worker("q", 0, log), 1))
    try:
        await asyncio.wait_for(worker("slow", 1, log), 0.01)
    except asyncio.TimeoutError:
        print("timeout")

    t = asyncio.create_task(forever(log))
    await asyncio.sleep(0.02)
    print(t.cancel(), t.done())
    try:
        await t
    except asyncio.CancelledError:
        print("awaited a cancelled task")
    print(t.done(), t.cancel(), log[-1])

    ev = asyncio.Event()

    async def waiter(i):
        await ev.wait()
        print("woken", i)

    ws = [asyncio.create_task(waiter(i)) for i in range(3)]
    await asyncio.sleep(0)
    print("set", ev.is_set())
    ev.set()
    await asyncio.gather(*ws)
    ev.clear()
    print(ev.is_set())

    lock = asyncio.Lock()
    order = []

    async def locker(i):
        async with lock:
            order.append(i)
            await asyncio.sleep(0)
            order.append(i)

    await asyncio.gather(*[locker(i) for i in range(3)])
    print(order, lock.locked())
    try:
        lock.release()
    except RuntimeError:
        print("RuntimeError: release unlocked")

    loop = asyncio.get_event_loop()
    loop.set_exception_handler(handler)
    asyncio.create_task(failing(0))
    await asyncio.sleep(0.01)
    loop.set_exception_handler(None)

    try:
        await asyncio.sleep(-1)
        print("negative sleep ok")
        asyncio.create_task(5)
    except TypeError:
        print("TypeError")
    return "main result"


print(asyncio.run(main()))
try:
    asyncio.run(failing(0))
except ValueError as e:
    print("run raised", e.args)
