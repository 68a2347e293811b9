# json: malformed input raises ValueError with the position (ferropy's JSON is
# strict where MicroPython's is lenient), unserialisable objects raise
# TypeError, and too deep nesting raises RuntimeError instead of crashing.
import json

for text in ["", "[", "[1,]", '{"a" 1}', '{"a":1,}', "nul", '"abc', "1 2", "01", ".5", "-", "1.", "1e",
             '"\\q"', '"\\u12"', "[1] x", "{1: 2}", '["a" "b"]', "é", '{"é": tru}']:
    try:
        print(repr(text), json.loads(text))
    except ValueError as e:
        print(repr(text), "ValueError:", e)

print(json.loads('"\\ud83d\\ude00"') == "\U0001F600")
for bad in [object(), {1, 2}, [1, print], {"k": 1j}]:
    try:
        json.dumps(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    json.loads(5)
except TypeError:
    print("TypeError: loads(5)")
try:
    json.dumps([1], separators=(","))
except ValueError as e:
    print("ValueError:", e)

deep = "[" * 2000 + "]" * 2000
try:
    json.loads(deep)
except RuntimeError as e:
    print("RuntimeError:", e)
print(len(json.loads("[" * 400 + "]" * 400)))
loop = []
loop.append(loop)
try:
    json.dumps(loop)
except RuntimeError as e:
    print("RuntimeError:", e)
print(json.dumps({1: 2, None: 3}))
