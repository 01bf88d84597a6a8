"""Max-pooling, the lecture's "special filter" without parameters (numpy; what Keras computes).

A max-pooling layer slides an f x f window with stride s over every channel on its own and keeps the
largest value under the window. Like a convolution without padding ("valid"), an n_H x n_W input gives

    n_H^[l] = floor((n_H^[l-1] - f) / s) + 1,   n_W^[l] = floor((n_W^[l-1] - f) / s) + 1,

and the number of channels n_c stays the same. It has no parameters to learn.
"""

import numpy as np

from . import validation
from .convolution import METHODS, conv_output_size, windows

__all__ = ["max_pool2d"]


def _pool_loop(x, f, s, out):
    """The definition, one window at a time: out[m, i, j, c] = max of x[m, i*s:i*s+f, j*s:j*s+f, c]."""
    (fh, fw), (sh, sw) = f, s
    result = np.empty((x.shape[0], *out, x.shape[3]), dtype=x.dtype)
    for i in range(out[0]):
        for j in range(out[1]):
            window = x[:, i * sh:i * sh + fh, j * sw:j * sw + fw, :]
            result[:, i, j, :] = window.max(axis=(1, 2))
    return result


def _pool_vectorised(x, f, s, out):
    """All windows at once: a strided view (m, n_H', n_W', n_c, f_H, f_W) of x, maximised over the window."""
    return windows(x, f, s, out, axes=(1, 2)).max(axis=(-2, -1))


def max_pool2d(x, size=2, stride=None, method="vectorised"):
    """Max-pooling with an f x f window and stride s, padding "valid", like ``keras.layers.MaxPooling2D``.

    ``x`` is one gray image (n_H, n_W), one image (n_H, n_W, n_c) or a batch (m, n_H, n_W, n_c): the
    package's layout (``helpers.validation``; a 3-D array is one image with channels, so a batch of gray
    images is passed as ``x[..., None]``). The result has the same rank, with n_H and n_W replaced by
    ``conv_output_size(n, f, "valid", s)`` = floor((n - f) / s) + 1 and n_c unchanged:

        out[m, i, j, c] = max over 0 <= k < f_H, 0 <= l < f_W of x[m, i*s_H + k, j*s_W + l, c].

    ``size`` is f (an int, or a (f_H, f_W) pair); ``stride`` is s (an int or a pair) and defaults to
    ``size``, as in Keras, so the windows tile the image without overlapping. ``method="loop"`` runs
    the definition window by window (for reading); ``"vectorised"`` (the default) takes the maximum
    over a strided view of all windows at once. Both return the same array, of x's dtype.
    """
    arr = validation.real_array(x, "x", (2, 3, 4), "(n_H, n_W), (n_H, n_W, n_c) or (m, n_H, n_W, n_c)")
    batch = {2: arr[None, :, :, None], 3: arr[None], 4: arr}[arr.ndim]
    f = validation.int_pair(size, "size (the pooling window f)")
    s = f if stride is None else validation.int_pair(stride, "stride (s)")
    validation.one_of(method, "method", METHODS)
    n_h, n_w = batch.shape[1:3]
    if f[0] > n_h or f[1] > n_w:
        raise ValueError(f"the pooling window {f[0]}x{f[1]} is larger than the input's n_H x n_W = "
                         f"{n_h}x{n_w}; expected size <= the input's height and width")
    out = (conv_output_size(n_h, f[0], "valid", s[0]), conv_output_size(n_w, f[1], "valid", s[1]))
    pooled = (_pool_loop if method == "loop" else _pool_vectorised)(batch, f, s, out)
    return {2: pooled[0, :, :, 0], 3: pooled[0], 4: pooled}[arr.ndim]
