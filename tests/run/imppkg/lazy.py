# A module whose __getattr__ supplies a name listed in __all__.
__all__ = ("eager", "computed")
eager = 1


def __getattr__(name):
    if name == "computed":
        return "made on demand"
    raise AttributeError(name)
