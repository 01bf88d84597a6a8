"""helpers.check.nb08 (notebook 08): vgg_block_params and conv_as_dense accept right answers written in
other ways and give every wrong one a true sentence; their references agree with Keras and scipy."""

import numpy as np
from scipy import signal

from check_cases import right_and_wrong, assert_not_done
from helpers.check import nb08

# ----------------------------------------------------------------------------- vgg_block_params


def block_loop(c_in, c_out, n_convs, f=3):
    total, channels = 0, c_in
    for _ in range(n_convs):
        total += f * f * channels * c_out + c_out
        channels = c_out
    return total


def block_recursive(c_in, c_out, n_convs, f=3):
    if n_convs == 0:
        return 0
    return (f * f * c_in + 1) * c_out + block_recursive(c_out, c_out, n_convs - 1, f)


BLOCK_RIGHT = [
    ("loop", block_loop),
    ("closed-form", lambda c_in, c_out, n, f=3: c_out * (f * f * (c_in + (n - 1) * c_out) + n)),
    ("numpy-int", lambda c_in, c_out, n, f=3: np.int64(block_loop(c_in, c_out, n, f))),
    ("recursive", block_recursive),
    ("weights-then-biases", lambda c_in, c_out, n, f=3: f * f * c_out * (c_in + (n - 1) * c_out) + n * c_out),
]

BLOCK_WRONG = [
    ("every-conv-sees-c_in", lambda c_in, c_out, n, f=3: n * (f * f * c_in + 1) * c_out,
     r"only the first convolution sees c_in"),
    ("no-biases", lambda c_in, c_out, n, f=3: block_loop(c_in, c_out, n, f) - n * c_out, r"leave out the biases"),
    ("one-convolution", lambda c_in, c_out, n, f=3: (f * f * c_in + 1) * c_out, r"you count one convolution"),
    ("always-3x3", lambda c_in, c_out, n, f=3: block_loop(c_in, c_out, n), r"f = 5.*always use 3 x 3"),
    ("no-f-argument", lambda c_in, c_out, n: block_loop(c_in, c_out, n), r"f = 5 your function raised TypeError"),
    ("no-channels", lambda c_in, c_out, n, f=3: n * (f * f + 1) * c_out, r"EACH input channel"),
    ("a-float", lambda c_in, c_out, n, f=3: float(block_loop(c_in, c_out, n, f)),
     r"right in all 10 cases, but 10 of them hold floats \(38720\.0 for VGG16's block 1"),
    ("first-sees-c_out", lambda c_in, c_out, n, f=3: n * (f * f * c_out + 1) * c_out,
     r"first convolution sees the c_in"),
    ("plus-one", lambda c_in, c_out, n, f=3: block_loop(c_in, c_out, n, f) + 1,
     r"for VGG16's block 1 \(c_in = 3, c_out = 64, n_convs = 2\) you return 38,721; Keras counts 38,720 \(per "
     r"convolution: f x f x channels in x c_out weights \+ c_out biases\)$"),
    ("no-return", lambda c_in, c_out, n, f=3: None, r"returns None"),
    ("bias-per-channel", lambda c_in, c_out, n, f=3: block_loop(c_in, c_out, n, f) - n * c_out
     + c_out * (c_in + (n - 1) * c_out), r"not one per input channel"),
]


test_vgg_block_params_right, test_vgg_block_params_wrong = right_and_wrong("vgg_block_params", BLOCK_RIGHT, BLOCK_WRONG)


def test_vgg_block_params_not_done(capsys):
    assert_not_done(capsys, "vgg_block_params")


def test_block_reference_is_the_vgg16_count():
    # VGG16's 13 convolutions: 14,714,688 parameters (Keras' VGG16 without its dense top)
    blocks = [(3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3), (512, 512, 3)]
    assert sum(nb08.keras_block_params(*b, 3) for b in blocks) == 14_714_688


# ----------------------------------------------------------------------------- conv_as_dense


def rows_of_w(kernel, n, s):
    f = kernel.shape[0]
    m = (n - f) // s + 1
    w = np.zeros((m * m, n * n))
    for r in range(m):
        for c in range(m):
            grid = np.zeros((n, n))
            grid[r * s:r * s + f, c * s:c * s + f] = kernel
            w[r * m + c] = grid.ravel()
    return w


def by_impulses(kernel, n, s):
    columns = [signal.correlate2d(np.eye(n * n)[p].reshape(n, n), kernel, "valid")[::s, ::s].ravel()
               for p in range(n * n)]
    return np.array(columns).T


def by_flat_indices(kernel, n, s):
    f = kernel.shape[0]
    m = (n - f) // s + 1
    w = np.zeros((m * m, n * n), dtype=np.float32)
    for out in range(m * m):
        r, c = divmod(out, m)
        for k in range(f):
            for j in range(f):
                w[out, np.ravel_multi_index((r * s + k, c * s + j), (n, n))] = kernel[k, j]
    return w


def by_window_view(kernel, n, s):
    f = kernel.shape[0]
    eye = np.eye(n * n).reshape(n * n, n, n)
    windows = np.lib.stride_tricks.sliding_window_view(eye, (f, f), axis=(1, 2))[:, ::s, ::s]
    return np.einsum("pijkl,kl->ijp", windows, kernel).reshape(-1, n * n)


CONV_DENSE_RIGHT = [
    ("impulses", by_impulses),
    ("flat-indices-float32", by_flat_indices),
    ("list-of-lists", lambda kernel, n, s: rows_of_w(kernel, n, s).tolist()),
    ("window-view", by_window_view),
    ("float16-free-of-rounding", lambda kernel, n, s: rows_of_w(kernel, n, s).astype(np.float32).astype(np.float64)),
]


def changes_the_kernel(kernel, n, s):
    w = rows_of_w(kernel, n, s)
    kernel *= 0
    return w


def column_major(kernel, n, s):
    f = kernel.shape[0]
    m = (n - f) // s + 1
    w = rows_of_w(kernel, n, s)
    return w[np.arange(m * m).reshape(m, m).T.ravel()]


CONV_DENSE_WRONG = [
    ("transposed", lambda kernel, n, s: rows_of_w(kernel, n, s).T, r"it is transposed: one ROW per output position"),
    ("stride-1", lambda kernel, n, s: rows_of_w(kernel, n, 1), r"you ignore the stride"),
    ("flipped", lambda kernel, n, s: rows_of_w(kernel[::-1, ::-1], n, s), r"the kernel is flipped \(a convolution\)"),
    ("column-major", column_major, r"column-major order"),
    ("kernel-transposed", lambda kernel, n, s: rows_of_w(kernel.T, n, s), r"the kernel is transposed"),
    ("nan", lambda kernel, n, s: rows_of_w(kernel, n, s) * np.nan, r"your W\[0, 0\] is nan \(not a number\)"),
    ("changes-the-kernel", changes_the_kernel, r"changed its argument `kernel` in place"),
    ("ints", lambda kernel, n, s: rows_of_w(kernel, n, s).astype(int), r"integer array \(int64\).*lose their decimals"),
    ("one-entry-off", lambda kernel, n, s: rows_of_w(kernel, n, s) + (np.arange(n * n) == 7) * (s == 2),
     r"for a random 3 x 3 kernel, n = 6, s = 2 your W is wrong: W\[0, 7\] is (\S+), it should be (?!\1 )\S+ \(output "
     r"position \(0, 0\), input pixel \(1, 1\)\)$"),
    ("a-string", lambda kernel, n, s: "W", r"'W' \(str\), not a 2-D array"),
]


test_conv_as_dense_right, test_conv_as_dense_wrong = right_and_wrong(
    "conv_as_dense", CONV_DENSE_RIGHT, CONV_DENSE_WRONG)


def test_conv_as_dense_not_done(capsys):
    assert_not_done(capsys, "conv_as_dense")


def test_dense_reference_is_scipy_s_correlation():
    w = nb08.dense_reference(np.arange(9.0).reshape(3, 3), 6, 1)
    image = np.random.default_rng(0).normal(size=(6, 6))
    due = signal.correlate2d(image, np.arange(9.0).reshape(3, 3), "valid")
    assert np.allclose((w @ image.ravel()).reshape(4, 4), due)
