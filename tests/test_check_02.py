"""helpers.check.nb02 (notebook 02): correlate2d accepts right answers written in other ways (any dtype,
lists, the library), gives every wrong one a true sentence; correlate2d_shifts, the shifted-arrays
exercise, asks the same values and refuses loops over pixels."""

import numpy as np
import pytest
from scipy import signal

from check_cases import right_and_wrong, assert_not_done, assert_right, assert_wrong, ids
from helpers.check import nb02


def loops(image, kernel):
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            for k in range(kernel.shape[0]):
                for m in range(kernel.shape[1]):
                    out[i, j] += kernel[k, m] * image[i + k, j + m]
    return out


def correlate2d_shifts(image, kernel):
    f_r, f_c = kernel.shape
    rows, cols = image.shape[0] - f_r + 1, image.shape[1] - f_c + 1
    out = np.zeros((rows, cols))
    for k in range(f_r):
        for m in range(f_c):
            out += kernel[k, m] * image[k:k + rows, m:m + cols]
    return out


def windows_einsum(image, kernel):
    return np.einsum("ijkl,kl->ij", np.lib.stride_tricks.sliding_window_view(image, kernel.shape), kernel)


def nested_lists(image, kernel):
    f_r, f_c = kernel.shape
    return [[float(np.sum(image[i:i + f_r, j:j + f_c] * kernel)) for j in range(image.shape[1] - f_c + 1)]
            for i in range(image.shape[0] - f_r + 1)]


def in_float32(image, kernel):
    return windows_einsum(image.astype(np.float32), kernel.astype(np.float32))


def while_loops(image, kernel):
    out = np.empty((image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1))
    i = 0
    while i < out.shape[0]:
        j = 0
        while j < out.shape[1]:
            out[i, j] = (image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel).sum()
            j += 1
        i += 1
    return out


RIGHT = [
    ("windows-einsum", windows_einsum),
    ("nested-lists", nested_lists),
    ("float32", in_float32),
    ("scipy", lambda image, kernel: signal.correlate2d(image, kernel, mode="valid")),
    ("convolution-of-the-flipped-kernel", lambda image, kernel: signal.convolve2d(image, kernel[::-1, ::-1], "valid")),
    ("while-loops", while_loops),
    ("shifted-arrays", correlate2d_shifts),
]


def in_place(image, kernel):
    out = loops(image, kernel)
    image[:] = 0
    return out


def a11_wrong(image, kernel):
    out = loops(image, kernel)
    out[0, 0] += 1
    return out


def normalised(image, kernel):
    return loops(image, kernel) / kernel.sum()


def by_fft(image, kernel):
    full = np.fft.ifft2(np.fft.fft2(image) * np.conj(np.fft.fft2(kernel, image.shape)))
    return full[:image.shape[0] - kernel.shape[0] + 1, :image.shape[1] - kernel.shape[1] + 1]


def square_kernel_only(image, kernel):
    f = kernel.shape[0]
    out = np.zeros((image.shape[0] - f + 1, image.shape[1] - f + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (image[i:i + f, j:j + f] * kernel[:f, :f]).sum()
    return out


def rows_loop(image, kernel):
    f_r, f_c = kernel.shape
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.array([np.einsum("jkl,kl->j", windows[i], kernel) for i in range(image.shape[0] - f_r + 1)])


WRONG = [
    ("convolution", lambda image, kernel: loops(image, kernel[::-1, ::-1]), r"convolution.*flipped.*cross-correlation"),
    ("off-by-one", lambda image, kernel: loops(image, kernel)[:-1, :-1], r"off by one.*n - f \+ 1"),
    ("int-output", lambda image, kernel: loops(image, kernel).astype(int), r"integer array.*dtype=float"),
    ("same-padding", lambda image, kernel: signal.correlate2d(image, kernel, mode="same"), r"'same' padding.*valid"),
    ("full-output", lambda image, kernel: signal.correlate2d(image, kernel, mode="full"), r"'full' output"),
    ("transposed-output", lambda image, kernel: loops(image, kernel).T, r"your output is transposed"),
    ("transposed-kernel", lambda image, kernel: loops(image, kernel.T) if kernel.shape[0] == kernel.shape[1]
     else loops(image, kernel), r"kernel\[l, k\].*transposed"),
    ("changes-the-image", in_place, r"changed its argument `image` in place"),
    ("a11", a11_wrong, r"output\[0, 0\] \(the slide's a'11\) is -4, it should be -5"),
    ("divides-by-the-kernel-sum", normalised,
     r"slide's 6 x 6 image a and 3 x 3 filter w your output\[0, 0\] is -inf \(infinity\); every entry is a finite "),
    ("fft-complex", by_fft, r"your output is complex \(complex128\).*np\.real"),
    ("one-dimension", lambda image, kernel: loops(image, kernel).tolist()[0], r"1 dimension, shape \(4,\)"),
    ("0-d-array", lambda image, kernel: np.array(loops(image, kernel).sum()), r"0-d array .*a single number"),
    ("a-string", lambda image, kernel: "done", r"'done' \(str\), not a 2-D array"),
    ("square-kernels-only", square_kernel_only,
     r"random 5 x 7 image and 2 x 3 kernel your output is 4 x 6, the valid output is 4 x 5"),
    ("one-value-off", lambda image, kernel: loops(image, kernel) + (image.shape == (7, 6)) * 1e-4,
     r"for a random 7 x 6 image and 4 x 2 kernel your output\[0, 0\] is (\S+), it should be (?!\1,)\S+: the sum "),
]


test_correlate2d_right, test_correlate2d_wrong = right_and_wrong("correlate2d", RIGHT, WRONG)


def test_correlate2d_loops_are_the_first_exercise(capsys):
    """The loops are what the first exercise asks for: its check does not refuse them."""
    assert_right(capsys, "correlate2d", loops)


# The shifted-arrays exercise: the same values, without a loop over pixels (whatever the function's name).
SHIFTS_RIGHT = [("shifted-arrays", correlate2d_shifts), ("windows-einsum", windows_einsum),
                ("scipy", lambda image, kernel: signal.correlate2d(image, kernel, mode="valid")),
                ("float32", lambda image, kernel: correlate2d_shifts(image.astype("float32"),
                                                                     kernel.astype("float32"))),
                ("flipped-convolution", lambda image, kernel: signal.convolve2d(image, kernel[::-1, ::-1], "valid"))]
SHIFTS_WRONG = [
    ("four-nested-loops", loops,
     r"your values are right, but your function loops over pixels: it runs \d+ lines of Python for an 8 x 8 "
     r"image and \d+ for a 16 x 16 one"),
    ("a-loop-over-rows", rows_loop, r"loops over pixels"),
    ("while-loops", while_loops, r"loops over pixels"),
    ("nested-lists", nested_lists, r"loops over pixels"),
    ("convolution", lambda image, kernel: correlate2d_shifts(image, kernel[::-1, ::-1]),
     r"convolution.*flipped.*cross-correlation"),
    ("off-by-one", lambda image, kernel: correlate2d_shifts(image, kernel)[:-1, :-1], r"off by one.*n - f \+ 1"),
    ("transposed-output", lambda image, kernel: correlate2d_shifts(image, kernel).T, r"your output is transposed"),
    ("changes-the-image", in_place, r"changed its argument `image` in place"),
]


@pytest.mark.parametrize("name, fn", SHIFTS_RIGHT, ids=ids(SHIFTS_RIGHT))
def test_correlate2d_shifts_right(capsys, name, fn):
    line = assert_right(capsys, "correlate2d_shifts", fn)
    assert "no loop over pixels" in line


@pytest.mark.parametrize("name, fn, says", SHIFTS_WRONG, ids=ids(SHIFTS_WRONG))
def test_correlate2d_shifts_wrong(capsys, name, fn, says):
    assert_wrong(capsys, "correlate2d_shifts", fn, says)


def test_correlate2d_shifts_not_done(capsys):
    assert_not_done(capsys, "correlate2d_shifts")


def test_correlate2d_not_done(capsys):
    assert_not_done(capsys, "correlate2d")


def test_python_steps_count_the_student_s_lines():
    kernel = np.ones((3, 3))
    small, large = (nb02.python_steps(loops, np.zeros((n, n)), kernel) for n in (8, 16))
    assert small > 36 * 9 and large > 196 * 9                              # every pixel, every weight
    assert nb02.python_steps(correlate2d_shifts, np.zeros((8, 8)), kernel) == \
        nb02.python_steps(correlate2d_shifts, np.zeros((16, 16)), kernel)


def test_the_slide_example_comes_first():
    case, image, kernel = next(nb02._correlate_cases())
    assert "slide" in case and signal.correlate2d(image, kernel, "valid")[0, 0] == -5
