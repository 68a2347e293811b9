from . import a
from .. import b
from .mod import c
from ..pkg.mod import d as e
