# Names defined with const() are replaced by their values (as MicroPython's
# parser does), so they cannot be assigned or deleted; const() folds float
# arithmetic too.
from micropython import const

F1 = const(2.5)
F2 = const(F1**2)
F3 = const(2**-2)
F4 = const(2**0.5)
print(F1, F2, F3, F4)
print(2.5**2, 1.0**1e9, 4**0.5, 0.0**0)


def syntax(code):
    try:
        exec(code)
        print("compiled:", code)
    except SyntaxError as e:
        print("SyntaxError:", e.args[0])


syntax("A = const(1)\nA = const(2)")
syntax("A = const(1)\nA = 5")
syntax("A = const(1)\nA += 1")
syntax("A = const(1)\ndel A")
syntax("A = const(1)\nfor A in range(2): pass")
syntax("A = const(1)\n(A, b) = 1, 2")
syntax("A = const(1)\nA: int = 3")
syntax("A = const(1)\nprint([A for A in range(3)])")
syntax("A = const(1)\n(A := 5)")
syntax("A = const(1)\ndef f():\n    A = 5\n    return A")
# Reading the name, and assigning before the definition, are fine.
syntax("B = 5\nB = const(1)\nprint(B)")
syntax("A = const(1)\nx = A\nprint(x)")
# What raises or makes a complex number is left to run time.
try:
    print(const(0.0**-1))
except Exception as e:
    print(type(e).__name__)
