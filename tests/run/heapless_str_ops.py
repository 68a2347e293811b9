# Adding an empty str or bytes, and replace() that replaces nothing, give back
# an existing object (no allocation, as in MicroPython): they work under
# micropython.heap_lock(); otherwise the results are new objects as usual.
import micropython

s = "abc"
b = b"xyz"
r = [None] * 8
micropython.heap_lock()
r[0] = s + ""
r[1] = "" + s
r[2] = b + b""
r[3] = b"" + b
r[4] = s.replace(",", "_")
r[5] = b.replace(b",", b"_")
r[6] = "" + ""
micropython.heap_unlock()
print(r[0] is s, r[1] is s, r[2] is b, r[3] is b, r[4] is s, r[5] is b, r[6] == "")
print(s + "d", b"" + bytearray(b"q"), bytearray(b"q") + b"", s.replace("b", "B"))
ba = bytearray(b"12")
print(ba.replace(b"9", b"0") is ba, ba.replace(b"9", b"0"))


class S(str):
    pass


t = S("sub")
print(type(t + ""), type("" + t), t + "" == "sub")
