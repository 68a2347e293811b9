from .. import value
LEAF = value + 1
_hidden = 5
public = 6
