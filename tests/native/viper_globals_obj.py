# native values stored into globals and containers are boxed
import micropython

G = None


@micropython.viper
def f(a: int):
    global G
    G = a * 2
    lst = [a, a + 1, True, uint(a)]
    d = {"k": 1}
    return lst, d


print(f(21), G)
