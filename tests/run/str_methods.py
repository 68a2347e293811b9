s = "Hello, World"
print(s.upper(), s.lower(), len(s), s[0], s[-1], s[1:5])
print(s.startswith("Hell"), s.endswith("x"), s.find("World"), s.find("z"), s.replace("l", "L"))
print("a,b,,c".split(","), " a  b c ".split(), "x".join("abc"), "  pad  ".strip() + "|")
print("%s=%d %r" % ("k", 5, "v"), "{0}-{1}-{0}".format("a", "b"), "{name}!".format(name="n"))
print("ab" * 3, "a" in "cat", "z" not in "cat", "abc" < "abd", str(12), repr("it's"), repr('q"'))
for ch in "hey":
    print(ch, end=".")
print()
print("%5d|%-5s|%05d" % (42, "ab", 7), "{:<6}|{:^6}|{:>6}".format("l", "c", "r"))
print(ord("A"), chr(66), "abc".count("b"), "12".isdigit(), "ab".isalpha())
