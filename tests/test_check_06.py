"""helpers.check.nb06 (notebook 06): max_pool and receptive_field accept right answers written in other
ways and give every wrong one a true sentence; their references agree with Keras and the lecture."""

import math

import numpy as np
import pytest

from check_cases import right_and_wrong, assert_not_done
from helpers.check import nb06

# ----------------------------------------------------------------------------- max_pool


def pool_loops(x, size, start=-math.inf):
    out = np.zeros((x.shape[0] // size, x.shape[1] // size))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            best = start
            for v in x[i * size:(i + 1) * size, j * size:(j + 1) * size].ravel():
                best = max(best, v)
            out[i, j] = best
    return out


def pool_blocks(x, size, reduce=np.max):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return reduce(x[:rows * size, :cols * size].reshape(rows, size, cols, size), axis=(1, 3))


MAX_POOL_RIGHT = [
    ("reshape-max", pool_blocks),
    ("window-view", lambda x, size: np.lib.stride_tricks.sliding_window_view(x, (size, size))[::size, ::size]
     .max(axis=(2, 3))),
    ("list-of-lists", lambda x, size: [[float(x[i:i + size, j:j + size].max())
                                        for j in range(0, x.shape[1] - size + 1, size)]
                                       for i in range(0, x.shape[0] - size + 1, size)]),
    ("float32", lambda x, size: pool_blocks(x, size).astype(np.float32)),
    ("loops-from-minus-infinity", pool_loops),
    ("maximum-of-shifted-views", lambda x, size: np.maximum.reduce(
        [x[k:(x.shape[0] // size) * size:size, m:(x.shape[1] // size) * size:size]
         for k in range(size) for m in range(size)])),
]


def overlapping(x, size):
    return np.lib.stride_tricks.sliding_window_view(x, (size, size)).max(axis=(2, 3))


def partial_windows(x, size):
    rows, cols = -(-x.shape[0] // size), -(-x.shape[1] // size)
    return np.array([[x[i * size:(i + 1) * size, j * size:(j + 1) * size].max() for j in range(cols)]
                     for i in range(rows)])


def zeroes_the_input(x, size):
    out = pool_blocks(x, size)
    x[:] = 0
    return out


def forgets_return(x, size):
    pool_blocks(x, size)


MAX_POOL_WRONG = [
    ("overlapping", overlapping, r"overlap.*stride = size"),
    ("starts-at-zero", lambda x, size: pool_loops(x, size, start=0), r"all-negative.*starts at 0"),
    ("partial-windows", partial_windows, r"leftover edge.*dropped"),
    ("mean", lambda x, size: pool_blocks(x, size, np.mean), r"mean.*average pooling"),
    ("transposed", lambda x, size: pool_blocks(x, size).T, r"transposed"),
    ("always-2", lambda x, size: pool_blocks(x, 2), r"size 3.*always use a 2 x 2 window"),
    ("sum", lambda x, size: pool_blocks(x, size, np.sum), r"add up each window"),
    ("min", lambda x, size: pool_blocks(x, size, np.min), r"smallest value"),
    ("global-max", lambda x, size: np.full((x.shape[0] // size, x.shape[1] // size), x.max()),
     r"largest value of the whole input"),
    ("ints", lambda x, size: pool_blocks(x, size).astype(int), r"integer array \(int64\).*lose their decimals"),
    ("changes-the-input", zeroes_the_input, r"changed its argument `x` in place"),
    ("one-dimension", lambda x, size: pool_blocks(x, size).ravel(), r"1 dimension"),
    ("nan", lambda x, size: pool_blocks(x, size) * np.nan, r"output\[0, 0\] is nan \(not a number\)"),
    ("one-off", lambda x, size: pool_blocks(x, size) + (x.shape == (4, 6)),
     r"for a 4 x 6 input, size 2 your output\[0, 0\] is \d+, it should be \d+, the largest value of x\[0:2, 0:2\]$"),
    ("no-return", forgets_return, r"returns None: did you forget the `return` line"),
]


test_max_pool_right, test_max_pool_wrong = right_and_wrong("max_pool", MAX_POOL_RIGHT, MAX_POOL_WRONG)


def test_max_pool_not_done(capsys):
    assert_not_done(capsys, "max_pool")


def test_pool_reference_is_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(2)
    for size in (1, 2, 3):
        x = rng.normal(size=(7, 8)).astype("float32")
        by_keras = keras.layers.MaxPooling2D(size)(x[None, :, :, None]).numpy()[0, :, :, 0]
        assert np.array_equal(nb06.pool_reference(x, size), by_keras)


# ----------------------------------------------------------------------------- receptive_field


def field(layers, start=1, own_stride=False, use_jump=True):
    r, jump = start, 1
    for f, s in layers:
        if own_stride:
            jump *= s
        r += (f - 1) * (jump if use_jump else 1)
        if not own_stride:
            jump *= s
    return r


def backwards(layers):
    r = 1
    for f, s in reversed(layers):
        r = (r - 1) * s + f
    return r


def recursive(layers):
    if not layers:
        return 1
    (f, s), rest = layers[0], layers[1:]
    return f + s * (recursive(rest) - 1)


def reverses_the_list(layers):
    layers.reverse()
    return backwards(layers[::-1])


FIELD_RIGHT = [
    ("backwards", backwards),
    ("sum-of-products", lambda layers: 1 + sum((f - 1) * math.prod(s for _, s in layers[:i])
                                               for i, (f, _) in enumerate(layers))),
    ("numpy-int", lambda layers: np.int64(field(layers))),
    ("recursive", recursive),
    ("cumulative-product", lambda layers: int(1 + np.sum((np.array([f for f, _ in layers]) - 1)
                                                      * np.cumprod([1] + [s for _, s in layers][:-1])))),
]

FIELD_WRONG = [
    ("own-stride", lambda layers: field(layers, own_stride=True),
     r"conv 3 x 3, pool 2 x 2 stride 2, conv 3 x 3.* you return 9; .* sees 8 x 8 .*jump after the layer"),
    ("no-jump", lambda layers: field(layers, use_jump=False), r"ignoring the jump"),
    ("starts-at-0", lambda layers: field(layers) - 1, r"off by one.*r = 1"),
    ("reversed", lambda layers: field(layers[::-1]), r"wrong order"),
    ("product", lambda layers: math.prod(f for f, _ in layers), r"multiply the filter sizes"),
    ("float", lambda layers: float(field(layers)), r"right in all 18 cases, but 18 of them hold floats \(5\.0 for two"),
    ("jump-only", lambda layers: math.prod(s for _, s in layers), r"that is the jump"),
    ("last-layer-only", lambda layers: layers[-1][0], r"last layer only"),
    ("changes-the-list", reverses_the_list, r"changed its argument `layers` in place"),
    ("the-lecture's-5", lambda layers: 5,
     r"for three 3 x 3 convolutions you return 5; one unit of the last layer sees 7 x 7 input pixels$"),
    ("a-string", lambda layers: f"{field(layers)} x {field(layers)}",
     r"'5 x 5' \(str\); the receptive field is one int"),
    ("a-pair", lambda layers: (field(layers), field(layers)), r"a tuple of 2 items; the receptive field is one int"),
]


test_receptive_field_right, test_receptive_field_wrong = right_and_wrong("receptive_field", FIELD_RIGHT, FIELD_WRONG)


def test_receptive_field_not_done(capsys):
    assert_not_done(capsys, "receptive_field")


def test_field_reference_measures_the_lecture_numbers():
    assert nb06.measured_field([(3, 1), (3, 1)]) == 5 and nb06.measured_field([(3, 1)] * 3) == 7
    assert nb06.measured_field(nb06.VGG16) == 212                      # the slide's VGG16 field
    assert nb06.measured_field([(3, 1), (2, 2), (3, 1)]) == 8 and nb06.measured_field([(1, 2), (3, 1)]) == 5
