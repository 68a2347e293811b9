# re: bad patterns raise ValueError with the position, runaway backtracking
# raises RuntimeError, wrong argument types raise TypeError; flags.
import re

for p in ["?", "*", "a**", "(", ")", "[", "[a", "([)", "a{3,1}", "\\", "(?P<x>a)", "[z-a]", "\\q", "(" * 250 + ")" * 250]:
    try:
        re.compile(p)
        print(repr(p[:12]), "ok")
    except ValueError as e:
        print(repr(p[:12]), "ValueError:", e)

try:
    re.match("(a+)+b", "a" * 30)
except RuntimeError as e:
    print("RuntimeError:", e)
print(re.match("(a*)*", "aaa").group())
print(re.match("(a|)*b", "aab").group())

for bad in [lambda: re.match(5, "a"), lambda: re.match("a", 5), lambda: re.match("a", b"a"), lambda: re.sub("a", 5, "a")]:
    try:
        bad()
    except TypeError:
        print("TypeError")
try:
    re.sub("(a)", r"\2", "a")
except IndexError as e:
    print("IndexError:", e)

print(re.match("abc", "ABC", re.I).group(), re.match("abc", "ABC"), re.search("[a-c]+", "xABCy", re.IGNORECASE).group())
print(re.findall("^\\w", "ab\ncd", re.M), re.findall("^\\w", "ab\ncd"))
print(re.match("a.b", "a\nb"), re.match("a.b", "a\nb", re.S).group() == "a\nb")
print(re.fullmatch("a+", "aaa").group(), re.fullmatch("a+", "aab"), re.fullmatch("a|ab", "ab").group())
print(re.findall(r"\d+", "a1b22c333"), re.findall(r"(\w)=(\d)", "a=1 b=2"), re.findall("x", "abc"))
print(re.search(r"\bis\b", "this is it").span(), re.search(r"\Bis", "this").span())
print(re.match("x{2}", "xxx").group(), re.match("x{2,}", "xxxx").group(), re.match("x{1,2}?", "xxx").group(), re.match("x{,2}", "xxx").group())
print(re.match("a{", "a{").group(), re.split("(-)", "1-2"))
print(re.compile("a", re.DEBUG).match("a").group())
