# exec, eval, compile
print(eval("1 + 2 * 3"))
x = 10
print(eval("x * 2"))
exec("y = x + 1")
print(y)
g = {"a": 5}
exec("b = a * 3", g)
print(g["b"], "b" in globals())
print(eval("a - 1", g))
l = {}
exec("c = 7", g, l)
print(l)
code = compile("z = 99", "<code>", "exec")
exec(code)
print(z)
e = compile("40 + 2", "<code>", "eval")
print(eval(e))
exec("def f(n):\n    return n * n\nprint(f(9))")
for bad in ["1 +", "x = ", "def"]:
    try:
        eval(bad)
    except SyntaxError as err:
        print("SyntaxError", err)
try:
    exec("raise ValueError('inside')")
except ValueError as err:
    print("ValueError", err)
try:
    compile("1", "f", "nope")
except ValueError as err:
    print("ValueError", err)
try:
    eval(123)
except TypeError as err:
    print("TypeError")
