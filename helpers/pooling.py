"""Max-pooling, the lecture's "special filter" without parameters (numpy; what Keras computes).

A max-pooling layer slides an f x f window with stride s over every channel on its own and keeps the
largest value under the window. Like a convolution without padding ("valid"), an n_H x n_W input gives

    n_H^[l] = floor((n_H^[l-1] - f) / s) + 1,   n_W^[l] = floor((n_W^[l-1] - f) / s) + 1,

and the number of channels n_c stays the same. It has no parameters to learn.
"""

import numpy as np

from .checks import int_pair

__all__ = ["max_pool2d"]

_METHODS = ("vectorised", "loop")


def _as_nhwc(x):
    """(H, W), (H, W, C) or (N, H, W, C) -> a 4-D array (N, H, W, C) and the input's rank."""
    arr = np.asarray(x)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"x must be an array of real numbers, got dtype {arr.dtype}")
    if arr.ndim == 2:
        return arr[None, :, :, None], 2
    if arr.ndim == 3:
        return arr[None], 3
    if arr.ndim == 4:
        return arr, 4
    raise ValueError(f"x must have shape (H, W), (H, W, C) or (N, H, W, C), got shape {arr.shape}")


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
    """All windows at once: a strided view (N, n_H', n_W', C, f_H, f_W) of x, maximised over the window."""
    windows = np.lib.stride_tricks.sliding_window_view(x, f, axis=(1, 2))
    windows = windows[:, ::s[0], ::s[1]][:, :out[0], :out[1]]
    return windows.max(axis=(-2, -1))


def max_pool2d(x, size=2, stride=None, method="vectorised"):
    """Max-pooling with an f x f window and stride s, padding "valid", like ``keras.layers.MaxPooling2D``.

    ``x`` has shape (n_H, n_W), (n_H, n_W, n_c) or (m, n_H, n_W, n_c) (Keras' "channels_last"); the
    result has the same rank, with n_H and n_W replaced by floor((n - f) / s) + 1 and n_c unchanged:

        out[m, i, j, c] = max over 0 <= k < f_H, 0 <= l < f_W of x[m, i*s_H + k, j*s_W + l, c].

    ``size`` is f (an int, or a (f_H, f_W) pair); ``stride`` is s (an int or a pair) and defaults to
    ``size``, as in Keras, so the windows tile the image without overlapping. ``method="loop"`` runs
    the definition window by window (for reading); ``"vectorised"`` (the default) takes the maximum
    over a strided view of all windows at once. Both return the same array, of x's dtype.
    """
    arr, rank = _as_nhwc(x)
    f = int_pair(size, "size (the pooling window f)")
    s = f if stride is None else int_pair(stride, "stride (s)")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {method!r}")
    n_h, n_w = arr.shape[1:3]
    if f[0] > n_h or f[1] > n_w:
        raise ValueError(f"the pooling window {f[0]}x{f[1]} is larger than the input's n_H x n_W = "
                         f"{n_h}x{n_w}; expected size <= the input's height and width")
    if arr.shape[0] == 0 or arr.shape[3] == 0:
        raise ValueError(f"x must hold at least one image and one channel, got shape {np.shape(x)}")
    out = ((n_h - f[0]) // s[0] + 1, (n_w - f[1]) // s[1] + 1)
    pooled = (_pool_loop if method == "loop" else _pool_vectorised)(arr, f, s, out)
    if rank == 2:
        return pooled[0, :, :, 0]
    if rank == 3:
        return pooled[0]
    return pooled
