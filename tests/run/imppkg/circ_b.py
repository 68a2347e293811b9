import sys
import imppkg.circ_a
a = sys.modules["imppkg.circ_a"]
print("circ_b sees A:", hasattr(a, "A"))
