# json: dumps/loads round trips, separators, dump/load on streams, bytes input.
import json, io

print(json.dumps(None), json.dumps(True), json.dumps(False), json.dumps(0), json.dumps(-12))
print(json.dumps(2**70), json.dumps(1.5), json.dumps(-0.25), json.dumps(1e100))
print(json.dumps("plain"), json.dumps('q"uote\\back\nline\ttab\rcr\x01\x1f'), json.dumps("é€"))
print(json.dumps([]), json.dumps({}), json.dumps(()), json.dumps((1, [2, (3,)])))
print(json.dumps([1, "a", None, [True, {}]]))
print(json.dumps({"k": [1, 2]}))
print(json.dumps([1, {"a": 2}], separators=(",", ":")))
print(json.dumps([1, 2], separators=(";", "=")))
print(json.dumps(b"bytes"))

s = io.StringIO()
json.dump({"x": [None]}, s)
json.dump([1, 2], s, separators=("|", "#"))
print(s.getvalue())

for text in [
    "null", "true", "false", "0", "-1", "123456789012345678901234567890",
    "1.5", "-2.5e3", "1E2", "0.001", '""', '"abc"', '"a\\"b\\\\c\\/d"',
    '"\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u20ac"', "[]", "{}",
    " [ 1 , 2 ] ", '{"a": {"b": [1, {"c": null}]}}', "\t\n\r 7 \n", '"é"',
]:
    v = json.loads(text)
    print(repr(text), repr(v), type(v).__name__)

print(json.loads(b'{"b": [1]}')["b"], json.loads(bytearray(b"[2]")))
print(json.load(io.StringIO('{"s": "t"}')), json.load(io.BytesIO(b"[3]")))

data = {"list": [1, 2.5, "x", None, True, False], "nested": {"deep": [[[]]]}, "s": "a\nb"}
print(json.loads(json.dumps(data)) == data)
