# a viper function with many typed locals and a long expression
import micropython


@micropython.viper
def f(a: int) -> int:
    b = a + 1
    c = b + 1
    d = c + 1
    e = d + 1
    g = e + 1
    h = g + 1
    i = h + 1
    j = i + 1
    k = j + 1
    m = k + 1
    return a + b * 2 + c * 3 + d * 4 + e * 5 + g * 6 + h * 7 + i * 8 + j * 9 + k * 10 + m * 11


print(f(1), f(-100))
