# asyncio streams over real sockets: start_server and open_connection on
# loopback, an echo of lines and of a large block.
import asyncio, errno


async def echo(reader, writer):
    while True:
        line = await reader.readline()
        writer.write(b"echo " + line)
        await writer.drain()
        if line == b"\n":
            break
    big = await reader.readexactly(3000)
    writer.write(big)
    await writer.drain()
    await writer.wait_closed()
    print("server handler done")


async def start(base):
    for port in range(base, base + 50):
        try:
            return await asyncio.start_server(echo, "127.0.0.1", port), port
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE)


async def main():
    server, port = await start(47500)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in range(3):
            writer.write(b"line %d\n" % i)
            await writer.drain()
            print(await reader.readline())
        # A blank line ends the line phase.
        writer.write(b"\n")
        await writer.drain()
        print(await reader.readline())
        block = bytes(i & 255 for i in range(3000))
        writer.write(block)
        await writer.drain()
        got = await reader.readexactly(3000)
        print(len(got), got == block)
        await writer.wait_closed()
    print("server closed")


# Bounded, so a failure cannot hang the test.
asyncio.run(asyncio.wait_for(main(), 10))
