# globals read, written and deleted from native code
import micropython

G = 1


@micropython.native
def f():
    global G, H
    G += 1
    H = G * 10
    return G, H


print(f(), G, H)


@micropython.native
def g():
    global H
    del H


g()
try:
    H
except NameError:
    print("H deleted")
