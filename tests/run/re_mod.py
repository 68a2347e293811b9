# re: compile/match/search/sub/split, groups and spans, pos/endpos, bytes
# (expected output from CPython: the unix port is built without match.groups/span).
import re

def show(m):
    if m is None:
        print(None)
    else:
        print(m.group(0), m.groups(), m.span(), m.start(), m.end())

show(re.match("a+", "aaab"))
show(re.match("a+", "baaa"))
show(re.search("a+", "baaab"))
show(re.search(r"(\d+)-(\d+)", "tel 123-4567 x"))
show(re.search(r"(a)|(b)", "b"))
show(re.match(r"(\w+)@(\w+)\.com", "joe@example.com"))
show(re.search("colou?r", "my colour"))
show(re.search("x*?y", "xxy"))
show(re.search(r"[A-Z][a-z]+", "hello World"))
show(re.search(r"[^0-9]+", "123abc456"))
show(re.search(r"\s+", "a \t b"))
show(re.search(r"^\w+$", "word"))
show(re.search(r"^\w+$", "two words"))
show(re.search("a.c", "abc a\nc"))
show(re.search("(?:ab)+", "xababab"))
show(re.search("a|b|c", "zzc"))
show(re.search(r"\D\W\S", "1 !a"))

m = re.match(r"(\d+)\.(\d+)", "3.14")
print(m.group(1), m.group(2), m.group(1, 2), m.span(2), m.start(1), m.end(2))
try:
    m.group(3)
except IndexError:
    print("IndexError")

p = re.compile(r"o")
print(p.match("dog"), p.match("dog", 1).group(), p.search("dog", 2), p.search("doog", 0, 2).span())
print(re.compile("^d").search("dd", 1))

print(re.sub(r"\d", "#", "a1b22c333"))
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world"))
print(re.sub(r"(a)", r"<\g<1>>", "banana"))
print(re.sub("a", "o", "banana", 2))
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "1 2 30"))
print(re.compile("n").sub("N", "banana"))
print(re.sub("x*", "-", "abc"))
print(re.split(",", "a,b,,c"))
print(re.split(r"\s+", "one two  three"))
print(re.split(",", "a,b,c", 1))
print(re.compile(";").split("x;y;z"))
print(re.match(b"a+", b"caaa"), re.search(b"a+", b"caaa").group())
print(re.sub(b"[aeiou]", b"_", b"education"))
print(re.match("", "abc").span())
print(re.search("$", "abc").span())
