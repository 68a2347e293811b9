# The import system: packages, relative imports, sys.modules, circular imports.
import sys

print(__name__)
import imppkg.helper
print(imppkg.helper.twice(21), imppkg.value)
print(sorted(k for k in sys.modules if k.startswith("imppkg")))
import imppkg.helper as h
print(h is imppkg.helper, h.__name__)
from imppkg.sub import leaf as lf
print(lf.LEAF)
from imppkg.sub.leaf import *
print(public)
try:
    print(_hidden)
except NameError as e:
    print(repr(e))

import imppkg.circ_a
print(imppkg.circ_a.A)

try:
    import imppkg.raises
except ValueError as e:
    print("ValueError", e)
print("imppkg.raises" in sys.modules)

try:
    import imppkg.badsyntax
except SyntaxError as e:
    print("SyntaxError", e)

for stmt in ["import no_such_mod", "import imppkg.nope", "from imppkg import nope", "from imppkg.sibling import nope", "from sys import nope"]:
    try:
        exec(stmt)
    except ImportError as e:
        print(repr(e))

# built-in modules are not in sys.modules and are cached
import gc, micropython
print("gc" in sys.modules, gc is __import__("gc"))
m = __import__("imppkg.sub.leaf")
print(m.__name__)
m = __import__("imppkg.sub.leaf", None, None, ("x",))
print(m.__name__)
