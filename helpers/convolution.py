"""Convolution as deep learning computes it (cross-correlation), as image processing computes it, and
one convolutional layer with many channels and filters; each as a naive loop and a vectorised path.

Notation of the lecture: an n x n image a, an f x f filter w, padding p (zeros on every side) and
stride s. The deep-learning "convolution" slides the filter over the image and sums the products,

    a'[i, j] = sum_{k=0}^{f-1} sum_{l=0}^{f-1} w[k, l] * a[i*s + k, j*s + l],

e.g. a'_11 = w00 a00 + w01 a01 + w02 a02 + w10 a10 + ... + w22 a22 on the slide (no padding, s = 1).
In math class this is the *cross-correlation*; the image-processing *convolution* flips the filter
about both axes first. Along each side the output has

    n' = floor((n + 2p - f) / s) + 1

cells. Padding may also be named as Keras and TensorFlow name it ("valid", "same", "full"): the names
are defined once, in ``conv_output_size``.

``method="loop"`` runs the definition one output cell at a time (read it next to the slide);
``method="vectorised"`` (the default) does the same arithmetic with whole arrays: a strided view of
every f x f window of the image (numpy's ``sliding_window_view``, no copy), then, for each of the
f*f filter cells, the pixels under it in every window times its weight, added up (a multiply-add of
whole arrays for one image). A layer (``conv2d``) computes the same sums as matrix products (BLAS):
im2col for a stride over 1, and for stride 1 f products of shifted, overlapping rows of the batch in
memory, without the large im2col matrix (the simpler f*f products over the windows' view ran 2.5 to
4 x slower, over the 2 x of ``tf.nn.conv2d`` that ``bench/bench_convolution.py`` sets as the goal).

Argument checks and the package's rules for array shapes and NaN/inf live in ``helpers.validation``.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view
from scipy.linalg import get_blas_funcs

from . import validation

__all__ = ["correlate2d", "convolve2d", "conv2d", "conv_geometry", "conv_output_size"]

#: The two paths of every layer function here and in ``helpers.pooling`` (the module docstring says how they
#: differ): ``method="vectorised"`` (the default) or ``"loop"``.
METHODS = ("vectorised", "loop")


# ----------------------------------------------------------------------------- output size and padding


def conv_output_size(n, f, padding=0, stride=1):
    """The side of a convolution's (or pooling's) output: n' = floor((n + 2p - f) / s) + 1.

    ``n`` is the input's side, ``f`` the filter's, ``stride`` is s >= 1 and ``padding`` is one of
    (this is the one definition of the padding names in the package; every other docstring points here):

    - an int p >= 0: p zeros before and p after, n' = floor((n + 2p - f) / s) + 1;
    - ``"valid"``: p = 0, n' = floor((n - f) / s) + 1 (only positions where the filter fits);
    - ``"same"``, as TensorFlow and Keras pad: n' = ceil(n / s) outputs, which need
      max((n' - 1) s + f - n, 0) zeros in all; half of them (rounded down) go before and the rest
      after, so an odd extra zero goes at the bottom/right. With s = 1 and an odd f this is
      p = (f - 1) / 2 on both sides and n' = n;
    - ``"full"``: p = f - 1, every position where filter and image overlap at all,
      n' = floor((n + f - 2) / s) + 1.

    Names are accepted in any case ("SAME"). A filter larger than the padded input has no position
    to sit at: ValueError. ``conv_geometry`` returns the zeros before and after as well.
    """
    return conv_geometry(n, f, padding, stride)[2]


def conv_geometry(n, f, padding=0, stride=1):
    """(zeros before, zeros after, n') along one side: the padding of ``conv_output_size``'s definition.

    The one place of the package where padding and output size are computed; ``correlate2d``,
    ``conv2d``, ``max_pool2d`` and ``draw_conv_grid`` call it.
    """
    n = validation.positive_int(n, "n (the input's side)")
    f = validation.positive_int(f, "f (the filter's side)")
    padding = validation.padding(padding)
    stride = validation.positive_int(stride, "stride (s)")
    if padding == "valid":
        before = after = 0
    elif padding == "full":
        before = after = f - 1
    elif padding == "same":
        total = max((-(-n // stride) - 1) * stride + f - n, 0)
        before, after = total // 2, total - total // 2
    else:
        before = after = padding
    if f > n + before + after:
        raise ValueError(f"the filter (f = {f}) is larger than the padded input (n = {n} with padding "
                         f"{padding!r}: {n + before + after}); expected f <= n + 2p")
    return before, after, (n + before + after - f) // stride + 1


def _geometry_2d(shape, kernel_shape, padding, stride):
    """[(before, after) per axis], (n_H', n_W') of an image of ``shape`` and a kernel of ``kernel_shape``."""
    sides = [conv_geometry(n, f, padding, stride) for n, f in zip(shape, kernel_shape)]
    return [(before, after) for before, after, _ in sides], tuple(out for _, _, out in sides)


def _float_dtype(*arrays):
    """float32 stays float32 (as in TensorFlow); bool, integers and float64 compute in float64."""
    return np.promote_types(np.result_type(*arrays), np.float32)


def windows(padded, f_shape, strides, out_shape, axes):
    """Every f_H x f_W window that an output cell reads, as a view of ``padded`` (no copy): for each of the
    two ``axes`` (such as (1, 2) of a batch), the windows at strides (s_H, s_W) that give ``out_shape``
    (n_H', n_W'), with the window's two axes (f_H, f_W) last. ``max_pool2d`` reads the same view."""
    view = sliding_window_view(padded, f_shape, axis=axes)
    index = [slice(None)] * padded.ndim
    for axis, stride, n_out in zip(axes, strides, out_shape):
        index[axis] = slice(None, (n_out - 1) * stride + 1, stride)
    return view[tuple(index)]


# ----------------------------------------------------------------------------- one 2-D image


def _correlate_loop(padded, kernel, stride, out_shape):
    """The slide's formula, one output cell and one product at a time."""
    f_h, f_w = kernel.shape
    out = np.zeros(out_shape, dtype=kernel.dtype)
    for i in range(out_shape[0]):
        for j in range(out_shape[1]):
            total = 0.0
            for k in range(f_h):
                for l in range(f_w):  # noqa: E741 - the slide's index
                    total += kernel[k, l] * padded[i * stride + k, j * stride + l]
            out[i, j] = total
    return out


def _correlate_vectorised(padded, kernel, stride, out_shape):
    """The same sum for every cell at once: for each filter cell (k, l), the pixel under it in every
    window, an (n_H', n_W') view, times w[k, l], added up: f_H * f_W whole-array multiply-adds."""
    view = windows(padded, kernel.shape, (stride, stride), out_shape, axes=(0, 1))  # n_H', n_W', f_H, f_W
    out = np.zeros(out_shape, dtype=kernel.dtype)
    for (k, l), weight in np.ndenumerate(kernel):  # noqa: E741 - the slide's indices
        out += weight * view[..., k, l]
    return out


def _correlate(image, kernel, padding, stride, method, flip):
    image = validation.real_array(image, "image", (2,), "(n_H, n_W)")
    kernel = validation.real_array(kernel, "kernel", (2,), "(f_H, f_W)")
    validation.one_of(method, "method", METHODS)
    pads, out_shape = _geometry_2d(image.shape, kernel.shape, padding, stride)
    stride = int(stride)
    dtype = _float_dtype(image, kernel)
    if flip:  # the flipped kernel, centred as scipy centres it: an odd extra zero before, not after
        kernel, pads = kernel[::-1, ::-1], [(after, before) for before, after in pads]
    padded = np.pad(image.astype(dtype, copy=False), pads)
    run = _correlate_loop if method == "loop" else _correlate_vectorised
    return run(padded, kernel.astype(dtype), stride, out_shape)


def correlate2d(image, kernel, padding=0, stride=1, method="vectorised"):
    """The deep-learning "convolution" (cross-correlation) of a 2-D image with a 2-D kernel.

        a'[i, j] = sum_{k=0}^{f_H-1} sum_{l=0}^{f_W-1} w[k, l] * a_p[i*s + k, j*s + l],

    where a_p is the image a with zeros around it as ``padding`` says: an int p, "valid", "same" or
    "full", defined in ``conv_output_size``, which also gives the output's sides (n_H', n_W').
    With s = 1 it equals ``scipy.signal.correlate2d(image, kernel, mode)`` for mode "valid", "same"
    and "full", and what ``keras.layers.Conv2D`` computes with this kernel.

    Returns a 2-D float array (float32 for float32 inputs, else float64). ``method="loop"`` runs the
    formula cell by cell; "vectorised" (default) sums over all windows at once. Same result.
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
        windows = sliding_window_view(padded, (f, f), axis=(1, 2))  # m, H', W', n_c, f, f
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
        strip[...] = as_strided(flat[start * n_c:], shape=(rows + span, row),
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

        z[m, i, j, c'] = sum_{k=0}^{f-1} sum_{l=0}^{f-1} sum_{c=1}^{n_c} w[k, l, c, c'] x_p[m, i*s + k, j*s + l, c]
                         + b[c']

    ``x`` is one image (n_H, n_W, n_c) or a batch (m, n_H, n_W, n_c) (the package's layout, see
    ``helpers.validation``); ``w`` is (f, f, n_c, n_c'), Keras' kernel layout; ``b`` is (n_c',) or None
    (zeros). ``padding`` is an int p, "valid", "same" or "full", as defined in ``conv_output_size``.
    The result, (m, n_H', n_W', n_c') or without m like ``x``, is what
    ``tf.nn.conv2d(x, w, strides=s, padding=...) + b`` and ``keras.layers.Conv2D`` return; no activation.
    ``method="loop"`` computes one output number at a time; "vectorised" (default) uses matrix
    products (the module docstring says how).
    """
    x = validation.real_array(x, "x", (3, 4), "(n_H, n_W, n_c) or (m, n_H, n_W, n_c)")
    w = validation.real_array(w, "w", (4,), "(f, f, n_c, n_c') (Keras' kernel layout)")
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"w must hold square f x f filters, shape (f, f, n_c, n_c'), got shape {w.shape}")
    if w.shape[2] != x.shape[-1]:
        raise ValueError(f"x has n_c = {x.shape[-1]} channels but w's filters have {w.shape[2]} "
                         f"(w.shape[2]); expected the same number")
    n_filters = w.shape[3]
    b = np.zeros(n_filters, dtype=w.dtype) if b is None else validation.real_array(
        b, "b", (1,), f"({n_filters},), one bias per filter")
    if b.shape != (n_filters,):
        raise ValueError(f"b must have one bias per filter, shape ({n_filters},), got shape {b.shape}")
    validation.one_of(method, "method", METHODS)
    batch = x if x.ndim == 4 else x[None]
    pads, out_shape = _geometry_2d(batch.shape[1:3], w.shape[:2], padding, stride)
    dtype = _float_dtype(x, w, b)
    padded = np.pad(batch.astype(dtype, copy=False), [(0, 0), *pads, (0, 0)])
    run = _conv2d_loop if method == "loop" else _conv2d_vectorised
    z = run(padded, w.astype(dtype, copy=False), b.astype(dtype), int(stride), out_shape)
    return z if x.ndim == 4 else z[0]
