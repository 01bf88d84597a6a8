"""Convolution as deep learning computes it (cross-correlation), as image processing computes it, and
one convolutional layer with many channels and filters; each as a naive loop and a vectorised path.

Notation of the lecture: an n x n image a, an f x f filter w, padding p (zeros on every side) and
stride s. The deep-learning "convolution" slides the filter over the image and sums the products,

    a'[i, j] = sum_{k=0}^{f-1} sum_{l=0}^{f-1} w[k, l] * a[i*s + k, j*s + l],

e.g. a'_11 = w00 a00 + w01 a01 + w02 a02 + w10 a10 + ... + w22 a22 on the slide (no padding, s = 1).
In math class this is the *cross-correlation*; the image-processing *convolution* flips the filter
about both axes first. Along each side the output has

    n' = floor((n + 2p - f) / s) + 1

cells. Padding may also be named, as Keras and TensorFlow name it: "valid" is p = 0, "same" pads
just enough for ceil(n / s) outputs (the odd extra zero goes at the bottom/right), and "full" is
p = f - 1, every position where filter and image overlap at all.

``method="loop"`` runs the definition one output cell at a time (read it next to the slide);
``method="vectorised"`` (the default) does the same arithmetic with whole arrays: shift-and-add
for one image (f*f multiply-adds of shifted views), matrix products of the windows for a layer.
"""

import numpy as np
from scipy.linalg.blas import get_blas_funcs

from .checks import is_int

__all__ = ["correlate2d", "convolve2d", "conv2d", "conv_output_size"]

PADDING_NAMES = ("valid", "same", "full")
_METHODS = ("vectorised", "loop")


# ----------------------------------------------------------------------------- validation


def _check_stride(stride):
    if not is_int(stride) or stride < 1:
        raise ValueError(f"stride (s) must be an integer >= 1, got {stride!r}")
    return int(stride)


def _check_padding(padding):
    """An int p >= 0, or one of "valid" / "same" / "full" (any case) -> int or lower-case name."""
    if isinstance(padding, str):
        name = padding.lower()
        if name not in PADDING_NAMES:
            raise ValueError(f"padding must be a non-negative integer or one of "
                             f"{', '.join(map(repr, PADDING_NAMES))}, got {padding!r}")
        return name
    if not is_int(padding) or padding < 0:
        raise ValueError(f"padding (p) must be a non-negative integer or one of "
                         f"{', '.join(map(repr, PADDING_NAMES))}, got {padding!r}")
    return int(padding)


def _check_method(method):
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {method!r}")


def _pads(n, f, padding, stride, extra_first=False):
    """The zeros (before, after) along one side of length n for a filter of side f.

    "same" is TensorFlow's: ceil(n / s) outputs need (ceil(n / s) - 1) * s + f - n zeros in all (at
    least 0), half before, the odd one after (before, with ``extra_first``, for convolve2d).
    """
    if padding == "valid":
        return 0, 0
    if padding == "full":
        return f - 1, f - 1
    if padding == "same":
        total = max((-(-n // stride) - 1) * stride + f - n, 0)
        small, large = total // 2, total - total // 2
        return (large, small) if extra_first else (small, large)
    return padding, padding


def _real_array(x, name, ndims, shape_text):
    arr = np.asarray(x)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if arr.ndim not in ndims:
        raise ValueError(f"{name} must have shape {shape_text} ({' or '.join(map(str, ndims))}-D), "
                         f"got shape {arr.shape} ({arr.ndim}-D)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}; expected {shape_text} "
                         f"with every size >= 1")
    return arr


def _float_dtype(*arrays):
    """float32 stays float32 (as in TensorFlow); integers and float64 compute in float64."""
    return np.promote_types(np.result_type(*arrays), np.float32)


def _out_sides(shape, kernel_shape, padding, stride, extra_first=False):
    """Padded sides and output sides, with the error for a filter larger than the padded input."""
    pads, outs = [], []
    for n, f in zip(shape, kernel_shape):
        before, after = _pads(n, f, padding, stride, extra_first)
        if f > n + before + after:
            raise ValueError(f"the {kernel_shape[0]}x{kernel_shape[1]} kernel is larger than the padded "
                             f"image ({shape[0]}x{shape[1]} with padding {padding!r}); expected f <= n + 2p")
        pads.append((before, after))
        outs.append((n + before + after - f) // stride + 1)
    return pads, tuple(outs)


def _zero_pad(arr, pads):
    """``arr`` with pads[axis] = (before, after) zeros along each axis (like np.pad, a little faster)."""
    if not any(p for pair in pads for p in pair):
        return arr
    padded = np.zeros([n + before + after for n, (before, after) in zip(arr.shape, pads)], dtype=arr.dtype)
    padded[tuple(slice(before, before + n) for n, (before, _) in zip(arr.shape, pads))] = arr
    return padded


# ----------------------------------------------------------------------------- output size


def conv_output_size(n, f, padding=0, stride=1):
    """The side of a convolution's output: n' = floor((n + 2p - f) / s) + 1.

    ``n`` is the input's side, ``f`` the filter's, ``padding`` an int p >= 0 (zeros on every side) or
    a name as Keras/TensorFlow use it: "valid" (p = 0, floor((n - f) / s) + 1), "same"
    (ceil(n / s)) or "full" (p = f - 1, floor((n + f - 2) / s) + 1); ``stride`` is s >= 1.
    A filter larger than the padded input has no position to sit at: ValueError.
    """
    for value, name in ((n, "n (the input's side)"), (f, "f (the filter's side)")):
        if not is_int(value) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    padding, stride = _check_padding(padding), _check_stride(stride)
    before, after = _pads(int(n), int(f), padding, stride)
    if f > n + before + after:
        raise ValueError(f"the filter (f = {f}) is larger than the padded input (n + 2p = {n + before + after}, "
                         f"padding {padding!r}); expected f <= n + 2p")
    return (int(n) + before + after - int(f)) // stride + 1


# ----------------------------------------------------------------------------- one 2-D image


def _correlate_loop(padded, kernel, stride, out_shape):
    """The slide's formula, one output cell and one product at a time."""
    f_h, f_w = kernel.shape
    out = np.zeros(out_shape, dtype=kernel.dtype)
    for i in range(out_shape[0]):
        for j in range(out_shape[1]):
            total = 0.0
            for k in range(f_h):
                for l in range(f_w):  # noqa: E741  (the slide's index)
                    total += kernel[k, l] * padded[i * stride + k, j * stride + l]
            out[i, j] = total
    return out


def _correlate_vectorised(padded, kernel, stride, out_shape, block_rows=64):
    """Shift-and-add: a' = sum over (k, l) of w[k, l] times the image shifted by (k, l), f*f array ops.

    Done in blocks of output rows so that the arrays of a block stay in the processor's cache.
    """
    n_h, n_w = out_shape
    out = np.empty(out_shape, dtype=kernel.dtype)
    product = np.empty((min(block_rows, n_h), n_w), dtype=kernel.dtype)
    for top in range(0, n_h, block_rows):
        rows = min(block_rows, n_h - top)
        block, prod = out[top:top + rows], product[:rows]
        block.fill(0)
        for (k, l), weight in np.ndenumerate(kernel):  # noqa: E741  (the slide's indices)
            r0 = top * stride + k
            shifted = padded[r0:r0 + (rows - 1) * stride + 1:stride, l:l + (n_w - 1) * stride + 1:stride]
            np.multiply(shifted, weight, out=prod)
            block += prod
    return out


def _correlate(image, kernel, padding, stride, method, flip):
    image = _real_array(image, "image", (2,), "(n_H, n_W)")
    kernel = _real_array(kernel, "kernel", (2,), "(f_H, f_W)")
    padding, stride = _check_padding(padding), _check_stride(stride)
    _check_method(method)
    dtype = _float_dtype(image, kernel)
    if flip:
        kernel = kernel[::-1, ::-1]
    pads, out_shape = _out_sides(image.shape, kernel.shape, padding, stride, extra_first=flip)
    padded = _zero_pad(image.astype(dtype, copy=False), pads)
    kernel = kernel.astype(dtype)
    run = _correlate_loop if method == "loop" else _correlate_vectorised
    return run(padded, kernel, stride, out_shape)


def correlate2d(image, kernel, padding=0, stride=1, method="vectorised"):
    """The deep-learning "convolution" (cross-correlation) of a 2-D image with a 2-D kernel.

        a'[i, j] = sum_{k=0}^{f_H-1} sum_{l=0}^{f_W-1} w[k, l] * a_p[i*s + k, j*s + l],

    where a_p is the image a with ``padding`` p zeros on every side (an int), or named: "valid"
    (p = 0), "same" (TensorFlow's: ceil(n / s) outputs, an odd extra zero at the bottom/right) or
    "full" (p = f - 1). The output is (n_H', n_W') with n' = floor((n + 2p - f) / s) + 1
    (``conv_output_size``). With s = 1 it equals ``scipy.signal.correlate2d(image, kernel, mode)``
    for mode "valid", "same" and "full", and what ``keras.layers.Conv2D`` computes with this kernel.

    Returns a 2-D float array (float32 for float32 inputs, else float64). ``method="loop"`` runs the
    formula cell by cell; "vectorised" (default) shifts and adds whole arrays. Same result.
    """
    return _correlate(image, kernel, padding, stride, method, flip=False)


def convolve2d(image, kernel, padding=0, stride=1, method="vectorised"):
    """The image-processing (math-class) convolution: the kernel flipped about both axes, then correlated.

        (a * w)[i, j] = sum_{k, l} w[f_H - 1 - k, f_W - 1 - l] * a_p[i*s + k, j*s + l]
                      = correlate2d(a, w[::-1, ::-1])[i, j].

    Same arguments and output size as ``correlate2d``. With s = 1 it equals
    ``scipy.signal.convolve2d(image, kernel, mode)``; for that, "same" with an even-sized kernel
    puts its odd extra zero at the top/left (the centre of the "full" convolution, as scipy does),
    so for odd kernels, and for every int padding, convolve2d(a, w) == correlate2d(a, w[::-1, ::-1]).
    """
    return _correlate(image, kernel, padding, stride, method, flip=True)


# ----------------------------------------------------------------------------- a layer


def _conv2d_loop(padded, w, b, stride, out_shape):
    """z[m, i, j, c'] = sum_{k, l, c} w[k, l, c, c'] * x_p[m, i*s + k, j*s + l, c] + b[c'], one number per step."""
    f = w.shape[0]
    n_images, n_filters = padded.shape[0], w.shape[3]
    z = np.zeros((n_images, *out_shape, n_filters), dtype=w.dtype)
    for m in range(n_images):
        for i in range(out_shape[0]):
            for j in range(out_shape[1]):
                window = padded[m, i * stride:i * stride + f, j * stride:j * stride + f, :]  # f x f x n_c
                for c_out in range(n_filters):
                    z[m, i, j, c_out] = np.sum(window * w[:, :, :, c_out]) + b[c_out]
    return z


def _conv2d_vectorised(padded, w, b, stride, out_shape, block=4096):
    """Matrix products instead of loops: windows as rows of a matrix, times the filters as columns.

    s > 1, im2col: all windows as a strided view (m, n_H', n_W', n_c, f, f), contracted with w over
    (n_c, f, f) by one ``tensordot`` (which copies the windows into one matrix, one row per window).

    s = 1, the same product without the large matrix: flatten the batch to rows of n_c numbers. The
    window at (m, i, j) starts at row q = (m*H + i)*W + j, and its filter row k (f*n_c numbers) is the
    contiguous stretch from row q + k*W. So with S[q] = those f*n_c numbers from row q,
    z[q] = sum_k S[q + k*W] @ w[k] + b: f matrix products of shifted slices of S, done a block of
    rows at a time (to stay in cache), each added into z by BLAS' gemm (C <- A B + C, in place).
    Rows q that are not an output position are computed, then dropped.
    """
    f, _, n_c, n_filters = w.shape
    n_h, n_w = out_shape
    if stride > 1:
        windows = np.lib.stride_tricks.sliding_window_view(padded, (f, f), axis=(1, 2))  # m, H', W', n_c, f, f
        windows = windows[:, :(n_h - 1) * stride + 1:stride, :(n_w - 1) * stride + 1:stride]
        return np.tensordot(windows, w.transpose(2, 0, 1, 3), axes=3) + b
    n_images, height, width = padded.shape[:3]
    flat = padded.reshape(-1)
    total = n_images * height * width
    last = total - (f - 1) * (width + 1)       # rows q whose window lies inside the batch
    row, item, span = f * n_c, flat.itemsize, (f - 1) * width
    # gemm works on column-major (Fortran) arrays: it computes z.T += w[k].T @ S.T, all views, no copies
    w_rows_t = [np.asfortranarray(w_k.T) for w_k in w.reshape(f, row, n_filters)]
    gemm = get_blas_funcs("gemm", (w_rows_t[0],))
    z = np.zeros((total, n_filters), dtype=w.dtype)
    block = min(block, last)
    strip_buffer = np.empty((block + span, row), dtype=w.dtype)
    for start in range(0, last, block):
        rows = min(block, last - start)
        strip = strip_buffer[:rows + span]      # S[start], S[start + 1], ...: copied from overlapping views
        strip[...] = np.lib.stride_tricks.as_strided(flat[start * n_c:], shape=(rows + span, row),
                                                     strides=(n_c * item, item), writeable=False)
        out = z[start:start + rows]
        for k in range(f):
            result = gemm(1.0, w_rows_t[k], strip[k * width:k * width + rows].T, beta=1.0, c=out.T,
                          overwrite_c=True)
            if not np.shares_memory(result, out):  # (never expected: gemm could not work in place)
                out[...] = result.T
        out += b
    return z.reshape(n_images, height, width, n_filters)[:, :n_h, :n_w]


def conv2d(x, w, b=None, stride=1, padding="valid", method="vectorised"):
    """One convolutional layer: n_c' filters of f x f x n_c, each summed over all input channels, plus a bias.

        z[m, i, j, c'] = sum_{k=0}^{f-1} sum_{l=0}^{f-1} sum_{c=1}^{n_c} w[k, l, c, c'] * x_p[m, i*s + k, j*s + l, c] + b[c']

    ``x`` is (n_H, n_W, n_c) or (m, n_H, n_W, n_c) (Keras' "channels_last"); ``w`` is (f, f, n_c, n_c'),
    Keras' kernel layout; ``b`` is (n_c',) or None (zeros). ``padding`` is "valid", "same" (as
    TensorFlow defines them: ceil(n / s) outputs, the odd extra zero at the bottom/right, also for
    s > 1), "full" or an int p. The result, (m, n_H', n_W', n_c') or without m like ``x``, is what
    ``tf.nn.conv2d(x, w, strides=s, padding=...) + b`` and ``keras.layers.Conv2D`` return; no activation.
    ``method="loop"`` computes one output number at a time; "vectorised" (default) uses matrix
    products (im2col).
    """
    x = _real_array(x, "x", (3, 4), "(n_H, n_W, n_c) or (m, n_H, n_W, n_c)")
    w = _real_array(w, "w", (4,), "(f, f, n_c, n_c') (Keras' kernel layout)")
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"w must hold square f x f filters, shape (f, f, n_c, n_c'), got shape {w.shape}")
    if w.shape[2] != x.shape[-1]:
        raise ValueError(f"x has n_c = {x.shape[-1]} channels but w's filters have {w.shape[2]} "
                         f"(w.shape[2]); expected the same number")
    n_filters = w.shape[3]
    if b is None:
        b = np.zeros(n_filters, dtype=w.dtype)
    b = np.asarray(b)
    if b.dtype == object or b.dtype.kind not in "biuf":
        raise ValueError(f"b must be an array of real numbers, got dtype {b.dtype}")
    if b.shape != (n_filters,):
        raise ValueError(f"b must have one bias per filter, shape ({n_filters},), got shape {b.shape}")
    padding, stride = _check_padding(padding), _check_stride(stride)
    _check_method(method)
    batch = x if x.ndim == 4 else x[None]
    dtype = _float_dtype(x, w, b)
    pads, out_shape = _out_sides(batch.shape[1:3], w.shape[:2], padding, stride)
    padded = _zero_pad(batch.astype(dtype, copy=False), [(0, 0), *pads, (0, 0)])
    run = _conv2d_loop if method == "loop" else _conv2d_vectorised
    z = run(np.ascontiguousarray(padded), w.astype(dtype, copy=False), b.astype(dtype), stride, out_shape)
    return z if x.ndim == 4 else z[0]
