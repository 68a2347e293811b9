# String and bytes methods with short operands (copied inline) and long ones
# (past the inline buffer), str/bytes/bytearray receivers, tuple prefixes.
long = "x" * 40 + "needle" + "y" * 40
print(long.startswith("x" * 35), long.startswith("x" * 41), long.endswith("y" * 33), long.endswith(("q", "y" * 31)))
print(long.find("needle"), long.rfind("x" * 31), long.index("y" * 40), long.count("x" * 20))
print("abc".startswith(("z", "a")), "abc".startswith(()), "abc".endswith("bc", 1), "abc".startswith("b", 1, 2))
print(long.strip("xy"), ("  " + long + "  ").strip(), "xxhixx".strip("x"), "ab".lstrip("a" * 40))
print(long.split("needle")[1][:5], long.replace("needle", "-" * 35)[38:80])
b = b"k" * 33 + b"mid" + b"k" * 33
print(b.startswith(b"k" * 32), b.find(b"mid"), b.strip(b"k"), bytearray(b).rstrip(b"k")[-4:], b.find(107), b.endswith(b"kk"))
for bad in (lambda: "a".find(1), lambda: b"a".find(300), lambda: "a".strip(5)):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__)
