# module-level __getattr__, __all__ naming a computed attribute
from imppkg.lazy import *

print(eager, computed)
import imppkg.lazy as lazy

print(lazy.computed)
try:
    lazy.missing
except AttributeError as e:
    print("AttributeError", e)

# __import__ resolves relative names against the globals it is given
m = __import__("sibling", {"__name__": "imppkg.helper"}, None, ("x",), 1)
print(m.__name__)
try:
    __import__("sibling", "not a dict", None, None, 1)
except TypeError:
    print("TypeError")
print(__import__("sys", "ignored at level 0").__name__)
try:
    __import__("sys", None, None, None, -1)
except ValueError:
    print("ValueError")
