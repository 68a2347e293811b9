from . import sibling
from .sub import leaf
from .sub.leaf import LEAF as L2
print("helper", __name__, sibling.S, leaf.LEAF, L2)


def twice(x):
    return 2 * x
