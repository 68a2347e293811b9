# A task being gathered can't be awaited elsewhere, and a task another task
# awaits can't be gathered (MicroPython's rules); once a gather ends early,
# its unfinished children may be awaited again.
import asyncio


def report(loop, context):
    print("handler:", repr(context["exception"]))


async def work(n, delay):
    await asyncio.sleep_ms(delay)
    print("work done", n)
    return n * 10


async def fail_soon():
    await asyncio.sleep_ms(1)
    raise ValueError("early")


async def gather_them(*ts):
    print("gathered", await asyncio.gather(*ts))


async def main():
    asyncio.get_event_loop().set_exception_handler(report)
    a = asyncio.create_task(work(1, 5))
    b = asyncio.create_task(work(2, 10))
    g = asyncio.create_task(gather_them(a, b))
    await asyncio.sleep(0)
    try:
        await a
    except RuntimeError as e:
        print("await:", repr(e))
    await g

    c = asyncio.create_task(work(3, 5))
    asyncio.create_task(gather_them(c))
    print("awaited", await c)

    d = asyncio.create_task(work(4, 300))
    try:
        await asyncio.gather(asyncio.create_task(fail_soon()), d)
    except ValueError as e:
        print("gather:", repr(e))
    print("awaited after gather", await d)


asyncio.run(main())
