# functools for ferropy: a small subset of CPython's module (the part
# micropython-lib also offers), frozen into the `ferropy` command.


def partial(func, *args, **keywords):
    """A function calling func with args and keywords before the call's own."""

    def call(*more_args, **more_keywords):
        merged = keywords.copy()
        merged.update(more_keywords)
        return func(*(args + more_args), **merged)

    return call


_NO_INITIAL = object()


def reduce(function, iterable, initial=_NO_INITIAL):
    """Folds iterable from the left with a two-argument function."""
    items = iter(iterable)
    if initial is _NO_INITIAL:
        try:
            value = next(items)
        except StopIteration:
            raise TypeError("reduce() of empty sequence with no initial value")
    else:
        value = initial
    for item in items:
        value = function(value, item)
    return value


def update_wrapper(wrapper, wrapped, assigned=None, updated=None):
    """Returns wrapper unchanged (function attributes are not writable here)."""
    return wrapper


def wraps(wrapped, assigned=None, updated=None):
    """A decorator applying update_wrapper with wrapped."""
    return lambda wrapper: update_wrapper(wrapper, wrapped, assigned, updated)
