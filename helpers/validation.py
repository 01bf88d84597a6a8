"""Argument checks shared by the helpers, and the package's rules for arrays and numbers.

Every check raises a ValueError that names the argument, says what was expected and shows what came.
A module that checks an argument imports the check from here; no module writes its own.

Array layout (the whole package, as Keras' "channels_last"):

- 2-D ``(n_H, n_W)``: one gray image (or one 2-D kernel);
- 3-D ``(n_H, n_W, n_c)``: one image with n_c channels;
- 4-D ``(m, n_H, n_W, n_c)``: a batch of m images.

A 3-D array is never a batch. A function that needs a batch (``shift_images``) and gets a 3-D array
raises a ValueError that says to pass ``x[..., None]``, shape (m, n_H, n_W, 1), for a batch of gray
images (or ``x[None]`` for one image with channels).

Numbers (one rule for every helper):

- NaN and infinity are refused: an image, kernel, weight or response that holds one raises a
  ValueError saying so ("must hold finite numbers"), as does a NaN or infinite scalar argument.
  The only exception is a length that may be infinite on purpose, which its docstring says.
- bool: an *array* of bools is an array of numbers 0 and 1 (a mask is an image, as in numpy and
  scipy) and computes as float; a bool *scalar* (True, False) is refused where a number or an
  integer is expected (True is not a size), and is the only thing accepted where a flag is.
"""

import math
from numbers import Integral, Real

import numpy as np

#: The padding names of Keras and TensorFlow (any case), besides an integer p >= 0. What each one
#: means is defined once, in ``helpers.convolution.conv_output_size``.
PADDING_NAMES = ("valid", "same", "full")


def is_int(value):
    """An integer (Python or numpy), and not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def positive_int(value, name):
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def int_in_range(value, name, low, high, why=""):
    """An integer from ``low`` to ``high``; ``why`` (a clause) says where the bounds come from."""
    if not is_int(value) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}{why}, got {value!r}")
    return int(value)


def keras_model(value, name="model"):
    import keras

    if not isinstance(value, keras.Model):
        raise ValueError(f"{name} must be a keras.Model, got {type(value).__name__}")
    return value


def non_negative_int(value, name):
    if not is_int(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def odd_int(value, name):
    if not is_int(value) or value < 1 or value % 2 == 0:
        raise ValueError(f"{name} must be a positive odd integer (so that it has a centre pixel), "
                         f"got {value!r}")
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


def positive_ints(values, name, example="(3, 3)", allow_one=False, allow_empty=False):
    """A sequence of positive ints -> tuple (a shape, layer widths); with ``allow_one`` an int n is (n,)."""
    try:
        items = (values,) if allow_one and is_int(values) else tuple(values)
    except TypeError:
        items = None
    if items is None or not (items or allow_empty) or not all(is_int(v) and v >= 1 for v in items):
        raise ValueError(f"{name} must be a tuple of positive integers such as {example}, got {values!r}")
    return tuple(int(v) for v in items)


def flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def one_of(value, name, options):
    """value, which must be one of ``options`` (strings compared exactly)."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def axes_or_none(value, name="ax"):
    """A matplotlib Axes to draw into, or None (the caller makes a new figure)."""
    from matplotlib.axes import Axes

    if value is not None and not isinstance(value, Axes):
        raise ValueError(f"{name} must be a matplotlib Axes (from plt.subplots) or None for a new "
                         f"figure, got {value!r}")
    return value


def real_number(value, name, allow_inf=False):
    """A real number (not a bool, not NaN; infinite only with ``allow_inf``) -> float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if math.isnan(value) or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def positive_number(value, name, allow_inf=False):
    value = real_number(value, name, allow_inf)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def non_negative_number(value, name):
    value = real_number(value, name)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value!r}")
    return value


def fraction(value, name):
    """A number in [0, 1), such as a dropout rate."""
    value = real_number(value, name)
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return value


def probability(value, name):
    """A number in [0, 1], such as an accuracy."""
    value = real_number(value, name)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return value


def same_examples(x, y, names="x and y"):
    """Inputs x and labels y holding the same positive number of examples (their first axis)."""
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"{names} must hold the same positive number of examples, got {len(x)} and {len(y)}")
    return x, y


def example_pair(value, name):
    """An (x, y) pair of arrays with the same positive number of examples -> (x, y) as numpy arrays."""
    try:
        x, y = value
        x, y = np.asarray(x), np.asarray(y)
        len(x), len(y)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an (x, y) pair of arrays, got {type(value).__name__}") from None
    return same_examples(x, y, f"{name}'s x and y")


def padding(value):
    """An int p >= 0, or "valid" / "same" / "full" in any case -> int or lower-case name."""
    if isinstance(value, str) and value.lower() in PADDING_NAMES:
        return value.lower()
    if is_int(value) and value >= 0:
        return int(value)
    raise ValueError(f"padding (p) must be a non-negative integer or one of "
                     f"{', '.join(map(repr, PADDING_NAMES))} (any case), got {value!r}")


def numeric_dtype(dtype, name="dtype"):
    """A numpy dtype of numbers (float, int, complex), given by name or type; None is refused."""
    try:
        dt = None if dtype is None else np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.kind not in "fiuc":
        raise ValueError(f"{name} must be a numeric dtype such as 'float32', got {dtype!r}")
    return dt


def real_array(x, name, ndims, shape_text):
    """x as a numpy array of real numbers with ``ndim`` in ``ndims``, not empty, all finite.

    ``shape_text`` says the expected shape in the lecture's notation, e.g. "(n_H, n_W)". Bool arrays
    are 0/1 numbers (the module docstring's rule); the array is returned as it came, not converted.
    """
    arr = np.asarray(x)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if arr.ndim not in ndims:
        raise ValueError(f"{name} must have shape {shape_text} ({' or '.join(map(str, ndims))}-D), "
                         f"got shape {arr.shape} ({arr.ndim}-D)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}; expected {shape_text} "
                         f"with every size >= 1")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers; it holds NaN or infinity")
    return arr


def image_batch(x, name="x"):
    """A batch (m, n_H, n_W, n_c) of images; a 3-D array gets the message that says what to pass."""
    arr = np.asarray(x)
    if arr.ndim == 3:
        raise ValueError(f"{name} must be a batch of images, shape (m, n_H, n_W, n_c); a 3-D array, here "
                         f"{arr.shape}, is one image (n_H, n_W, n_c) in this package: for a batch of gray "
                         f"images pass {name}[..., None], shape (m, n_H, n_W, 1)")
    return real_array(arr, name, (4,), "(m, n_H, n_W, n_c)")
