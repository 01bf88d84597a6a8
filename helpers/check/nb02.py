"""Notebook 02, convolution by hand: ``correlate2d`` (the four nested loops) and ``correlate2d_shifts``
(the same values from f x f shifted arrays, without a loop over pixels)."""

import sys

import numpy as np

from .verdict import SEED, Wrong, array2d, call, checker, close, first_difference, fmt, not_finite, pair, \
    refuse_truncated, shape

# The slide's 6 x 6 image a and 3 x 3 vertical-edge filter w (notebook 02).
SLIDE_A = np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                    [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]])
SLIDE_W = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


def _correlate_cases():
    rng = np.random.default_rng(SEED)
    yield "the slide's 6 x 6 image a and 3 x 3 filter w", SLIDE_A, SLIDE_W
    yield "the slide's image a with the kernel [[1, 2, 3], [4, 5, 6], [7, 8, 9]]", SLIDE_A, \
        np.arange(1, 10).reshape(3, 3)
    for rows, cols, kr, kc in [(5, 7, 2, 3), (7, 4, 3, 2), (4, 4, 1, 1), (3, 5, 3, 5)]:
        image = np.round(rng.normal(size=(rows, cols)), 2)
        kernel = np.round(rng.normal(size=(kr, kc)), 2)
        yield f"a random {shape(image.shape)} image and {shape(kernel.shape)} kernel", image, kernel
    for _ in range(6):
        rows, cols = rng.integers(3, 10, size=2)
        kr, kc = rng.integers(1, min(rows, cols) + 1, size=2)
        image, kernel = rng.normal(size=(rows, cols)), rng.normal(size=(kr, kc))
        yield f"a random {shape(image.shape)} image and {shape(kernel.shape)} kernel", image, kernel


def _shape_hint(got, image, kernel):
    (n_r, n_c), (f_r, f_c) = image.shape, kernel.shape
    due = (n_r - f_r + 1, n_c - f_c + 1)
    fits = (f"a {shape(kernel.shape)} kernel fits n - f + 1 = {n_r} - {f_r} + 1 = {due[0]} times down and "
            f"{n_c} - {f_c} + 1 = {due[1]} times across")
    if got == (n_r - f_r, n_c - f_c):
        return f"off by one: {fits}, so loop over range(n - f + 1)"
    if got == (n_r - f_r + 2, n_c - f_c + 2):
        return f"one position too many: {fits}"
    if got == image.shape:
        return f"that is the input's size ('same' padding); the exercise wants the valid output without padding: {fits}"
    if got == (n_r + f_r - 1, n_c + f_c - 1):
        return f"that is the 'full' output (zero padding f - 1 on every side); the valid one has no padding: {fits}"
    if got == due[::-1]:
        return f"rows and columns swapped: output[i, j] belongs to row i and column j; {fits}"
    return fits


def python_steps(fn, *args):
    """How many lines of Python the student's own code runs (every function defined in the file or
    notebook cell that defines fn, comprehensions included) for fn(*args); None if it cannot be told."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    steps = 0

    def count_lines(frame, event, arg):
        nonlocal steps
        steps += event == "line"
        return count_lines

    def enter(frame, event, arg):
        return count_lines if frame.f_code.co_filename == code.co_filename else None

    previous = sys.gettrace()
    sys.settrace(enter)
    try:
        fn(*args)
    except Exception:  # a function that fails here failed the values check already
        return None
    finally:
        sys.settrace(previous)
    return steps


def _loops_over_pixels(fn):
    """(steps on an 8 x 8 image, steps on a 16 x 16 one) with the same 3 x 3 kernel when the Python work
    grows with the image (a loop over rows or pixels), else None."""
    rng = np.random.default_rng(SEED)
    kernel = rng.normal(size=(3, 3))
    small, large = (python_steps(fn, rng.normal(size=(n, n)), kernel.copy()) for n in (8, 16))
    if small is None or large is None or large < small + 8:
        return None
    return small, large


def _valid_cross_correlation(fn):
    """Raise Wrong at the first case where fn(image, kernel) is not the valid cross-correlation; return
    the passing sentence."""
    from scipy import signal

    count = 0
    for case, image, kernel in _correlate_cases():
        count += 1
        got = array2d(call(fn, (image.copy(), kernel.copy()), case, ("image", "kernel")), case)
        expected = signal.correlate2d(image, kernel, mode="valid")
        scale = signal.correlate2d(np.abs(image), np.abs(kernel), mode="valid")
        if got.shape != expected.shape:
            raise Wrong(f"for {case} your output is {shape(got.shape)}, the valid output is "
                        f"{shape(expected.shape)}: {_shape_hint(got.shape, image, kernel)}")
        not_finite(got, case, "output")
        if close(got, expected, scale).all():
            continue
        why = None
        if close(got, signal.convolve2d(image, kernel, mode="valid"), scale).all():
            why = ("you compute a convolution (the kernel flipped by 180°); a convolution layer computes the "
                   "cross-correlation: kernel[k, l] times image[i + k, j + l], no flip")
        elif got.shape[0] == got.shape[1] and close(got.T, expected, scale).all():
            why = "your output is transposed (rows and columns swapped): output[i, j] belongs to row i and column j"
        elif (kernel.shape[0] == kernel.shape[1]
              and close(got, signal.correlate2d(image, kernel.T, "valid"), scale).all()):
            why = "you multiply image[i + k, j + l] by kernel[l, k]: the kernel is transposed; use kernel[k, l]"
        elif kernel.sum() != 0 and close(got, expected / kernel.sum(), scale / abs(kernel.sum())).all():
            why = ("you divide by the sum of the kernel's weights; the cross-correlation only multiplies and adds "
                   "(and the slide's filter sums to 0)")
        if why:
            raise Wrong(f"for {case} {why}")
        refuse_truncated(got, expected, case, "create it with dtype=float (np.zeros(shape))")
        i, j = first_difference(got, expected, scale)
        where = " (the slide's a'11)" if (i, j) == (0, 0) and count == 1 else ""
        g, d = pair(got[i, j], expected[i, j])
        raise Wrong(f"for {case} your output[{i}, {j}]{where} is {g}, it should be {d}: the sum of kernel * "
                    f"image[{i}:{i + kernel.shape[0]}, {j}:{j + kernel.shape[1]}], element by element")
    return (f"right: the slide's a'11 = -5 and all 4 x 4 outputs, and {count - 1} more images and kernels "
            "you did not see (non-square ones too), match scipy.signal.correlate2d(mode='valid')")


@checker("correlate2d", "write the nested loops: output[i, j] = the sum over k, l of "
                        "kernel[k, l] * image[i + k, j + l], for every position where the kernel fits")
def correlate2d(fn):
    """fn(image, kernel) -> the valid cross-correlation (no padding, stride 1), any image and kernel
    shape: an array or a list of lists, of any float or int dtype (the tolerance follows it).

    Reference: scipy.signal.correlate2d(image, kernel, mode="valid"), on the slide's 6 x 6 example (its
    [0, 0] is the slide's a'11 = -5) and on random images and kernels, non-square ones too.
    """
    return _valid_cross_correlation(fn)


@checker("correlate2d_shifts", "for each kernel cell (k, l): out += kernel[k, l] * image[k:k + rows, "
                               "l:l + cols], f x f whole-array operations and no loop over pixels")
def correlate2d_shifts(fn):
    """The second exercise of 02: the same values as ``correlate2d`` (the same cases and reference), from
    f x f whole-array operations. The lines of Python the student's code runs are counted on an 8 x 8 and
    a 16 x 16 image with the same 3 x 3 kernel: a loop over pixels or rows runs more lines on the larger
    image, and is named; the shifted arrays run the same number on both."""
    passed = _valid_cross_correlation(fn)
    grows = _loops_over_pixels(fn)
    if grows:
        raise Wrong(f"your values are right, but your function loops over pixels: it runs {fmt(grows[0])} "
                    f"lines of Python for an 8 x 8 image and {fmt(grows[1])} for a 16 x 16 one. This version "
                    "does f x f whole-array operations, whatever the image size: for each (k, l), out += "
                    "kernel[k, l] * image[k:k + rows, l:l + cols]")
    return passed.replace("right: ", "right, with no loop over pixels: ", 1)
