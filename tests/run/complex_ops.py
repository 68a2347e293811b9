# complex numbers: literals, constructor, arithmetic, repr, errors
def t(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

print(1j, 1 + 2j, complex(1.5, -2), -1j, complex(0, 0), complex(-0.0, 1), complex(), complex(3))
print(complex('1+2j'), complex('3j'), complex('-2.5'), complex(1 + 1j, 1j), 2.5j)
z = (1 + 2j) * (3 - 4j)
print(z, z.real, z.imag, abs(3 + 4j), -z, +z)
print((1 + 2j) / (3 - 4j), (1 + 2j) / 2, (4 + 2j) / 2j, 1 / (1 + 1j))
print((1 + 2j) ** 2, (1j) ** 2, 2 ** (1j), (0j) ** 0, (-8) ** 0.5)
print(1 + 2j == 1 + 2j, 1j == 1, 2 + 0j == 2, (1 + 2j) != (1 + 3j), 1.5 + 1j - 1j)
print(bool(0j), bool(1j), type(1j), hash(2 + 0j) == hash(2))
t(lambda: (1 + 2j) / 0)
t(lambda: 1j < 2j)
t(lambda: (1 + 2j) // 2)
t(lambda: int(1 + 2j))
t(lambda: float(1j))
t(lambda: complex('abc'))
t(lambda: 0j ** -1)
