# // and % on int round like Python
import micropython


@micropython.viper
def d(a: int, b: int):
    return (a // b, a % b)


for a, b in ((7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (6, 3)):
    print(a, b, d(a, b))
