async def f(it):
    async for x in it:
        print(x)
