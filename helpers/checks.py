"""Argument checks shared by the helpers: bad input raises a ValueError that names the argument,
says what was expected and shows what came."""

from numbers import Integral


def is_int(value):
    """An integer (Python or numpy), and not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def positive_int(value, name):
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def non_negative_int(value, name):
    if not is_int(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def int_pair(value, name):
    """A positive int n (meaning (n, n)) or a (rows, cols) pair of positive ints -> (rows, cols)."""
    pair = (value, value) if is_int(value) else value
    try:
        rows, cols = pair
    except (TypeError, ValueError):
        rows = cols = None
    if not (is_int(rows) and is_int(cols) and rows >= 1 and cols >= 1):
        raise ValueError(f"{name} must be a positive integer or a (rows, cols) pair of them, got {value!r}")
    return int(rows), int(cols)
