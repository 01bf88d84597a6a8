"""Parameter counts and memory of dense and convolutional layers (lecture notation).

A dense layer maps n^[l-1] inputs to n^[l] outputs with W: n^[l] x n^[l-1] and b: n^[l] x 1.
A convolutional layer has n_c^[l] filters of size f x f x n_c^[l-1], plus one bias per filter.
"""

import numpy as np

from .checks import is_int, positive_int


def dense_params(n_in, n_out, bias=True):
    """Parameters of a dense layer: n_in * n_out weights + n_out biases.

    With the slide's notation, W^[l] is n^[l] x n^[l-1] and b^[l] is n^[l] x 1, so the layer has
    n^[l] * n^[l-1] + n^[l] parameters. For a 200x200 grayscale image and a layer as wide as its
    input: 40000^2 + 40000 ~ 1.6e9.
    """
    n_in = positive_int(n_in, "n_in")
    n_out = positive_int(n_out, "n_out")
    return n_in * n_out + (n_out if bias else 0)


def conv_params(f, n_c_in, n_filters, bias=True):
    """Parameters of a convolutional layer: n_filters * (f * f * n_c_in + 1).

    Each of the n_c^[l] filters has f * f * n_c^[l-1] weights and one bias. For f = 3 on an RGB
    input (n_c^[0] = 3) with 3 filters: 3 * (3 * 3 * 3 + 1) = 84, whatever the image size.
    """
    f = positive_int(f, "f (the filter size)")
    n_c_in = positive_int(n_c_in, "n_c_in (input channels)")
    n_filters = positive_int(n_filters, "n_filters")
    return n_filters * (f * f * n_c_in + (1 if bias else 0))


def param_memory(n_params, dtype="float32"):
    """Bytes needed to store n_params numbers of the given dtype: n_params * itemsize.

    float32 takes 4 bytes a number, so 1.6e9 parameters take 6.4 GB (1 GB = 1e9 bytes).
    """
    if not is_int(n_params) or n_params < 0:
        raise ValueError(f"n_params must be a non-negative integer, got {n_params!r}")
    try:
        itemsize = np.dtype(dtype).itemsize
    except TypeError as err:
        raise ValueError(f"dtype must be a numpy dtype name such as 'float32', got {dtype!r}") from err
    if np.dtype(dtype).kind not in "fiuc":
        raise ValueError(f"dtype must be a numeric dtype such as 'float32', got {dtype!r}")
    return int(n_params) * itemsize


def format_bytes(n_bytes):
    """Bytes as a short decimal string: 6400160000 -> '6.4 GB' (1 kB = 1e3 bytes, 1 GB = 1e9)."""
    if n_bytes < 0:
        raise ValueError(f"n_bytes must be non-negative, got {n_bytes!r}")
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{int(n_bytes)} B"
