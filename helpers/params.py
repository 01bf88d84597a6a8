"""Parameter counts and memory of dense and convolutional layers (lecture notation).

A dense layer maps n^[l-1] inputs to n^[l] outputs with W: n^[l] x n^[l-1] and b: n^[l] x 1.
A convolutional layer has n_c^[l] filters of size f x f x n_c^[l-1], plus one bias per filter.
"""

from .validation import flag, non_negative_int, non_negative_number, numeric_dtype, positive_int

#: Decimal units of ``format_bytes``: 1 kB = 1e3 bytes, 1 MB = 1e6, ...
_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def dense_params(n_in, n_out, bias=True):
    """Parameters of a dense layer: n_in * n_out weights + n_out biases.

    With the slide's notation, W^[l] is n^[l] x n^[l-1] and b^[l] is n^[l] x 1, so the layer has
    n^[l] * n^[l-1] + n^[l] parameters. For a 200x200 grayscale image and a layer as wide as its
    input: 40000^2 + 40000 ~ 1.6e9.
    """
    n_in = positive_int(n_in, "n_in")
    n_out = positive_int(n_out, "n_out")
    return n_in * n_out + (n_out if flag(bias, "bias") else 0)


def conv_params(f, n_c_in, n_filters, bias=True):
    """Parameters of a convolutional layer: n_filters * (f * f * n_c_in + 1).

    Each of the n_c^[l] filters has f * f * n_c^[l-1] weights and one bias. For f = 3 on an RGB
    input (n_c^[0] = 3) with 3 filters: 3 * (3 * 3 * 3 + 1) = 84, whatever the image size.
    """
    f = positive_int(f, "f (the filter size)")
    n_c_in = positive_int(n_c_in, "n_c_in (input channels)")
    n_filters = positive_int(n_filters, "n_filters")
    return n_filters * (f * f * n_c_in + (1 if flag(bias, "bias") else 0))


def param_memory(n_params, dtype="float32"):
    """Bytes needed to store n_params numbers of the given dtype: n_params * itemsize.

    float32 takes 4 bytes a number, so 1.6e9 parameters take 6.4 GB (1 GB = 1e9 bytes). ``dtype`` is
    a numeric numpy dtype or its name; None is refused (numpy would read it as float64).
    """
    n_params = non_negative_int(n_params, "n_params")
    return n_params * numeric_dtype(dtype).itemsize


def format_bytes(n_bytes):
    """Bytes as a short decimal string, three significant digits: 6400160000 -> '6.4 GB'.

    1 kB = 1e3 bytes, 1 MB = 1e6, 1 GB = 1e9, ...: the largest unit in which the rounded number is
    at least 1, so that 999_500 -> '1 MB' (not '1e+03 kB'). Above 1000 PB the number is written out.
    """
    n_bytes = non_negative_number(n_bytes, "n_bytes (a number of bytes)")
    for power, unit in enumerate(_UNITS):
        value = n_bytes / 1000 ** power
        text = f"{value:.3g}"
        if float(text) < 1000:
            return f"{text} {unit}"
    return f"{value:.0f} {unit}"
