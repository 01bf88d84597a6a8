"""helpers.max_pool2d against Keras' MaxPooling2D, scikit-image's block_reduce and worked examples."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers


def keras_max_pool(x4, size, stride):
    import keras

    layer = keras.layers.MaxPooling2D(pool_size=size, strides=stride, padding="valid")
    return np.asarray(layer(x4.astype("float32")))


def test_worked_example_2x2_stride_2():
    x = np.array([[1, 3, 2, 1],
                  [2, 9, 1, 1],
                  [1, 3, 2, 3],
                  [5, 6, 1, 2]])
    expected = np.array([[9, 2],
                         [6, 3]])
    for method in ("vectorised", "loop"):
        out = helpers.max_pool2d(x, method=method)
        np.testing.assert_array_equal(out, expected)
        assert out.dtype == x.dtype


def test_worked_example_overlapping_windows():
    x = np.arange(16).reshape(4, 4)           # the maximum of every window is its bottom-right corner
    np.testing.assert_array_equal(helpers.max_pool2d(x, size=2, stride=1), x[1:, 1:])
    np.testing.assert_array_equal(helpers.max_pool2d(x, size=3, stride=1), x[2:, 2:])
    np.testing.assert_array_equal(helpers.max_pool2d(x, size=3, stride=2), [[10]])  # floor((4-3)/2)+1 = 1


def test_shapes_by_rank():
    rng = np.random.default_rng(0)
    assert helpers.max_pool2d(rng.random((7, 9))).shape == (3, 4)
    assert helpers.max_pool2d(rng.random((7, 9, 5))).shape == (3, 4, 5)
    assert helpers.max_pool2d(rng.random((2, 7, 9, 5))).shape == (2, 3, 4, 5)
    assert helpers.max_pool2d(rng.random((7, 9)), size=3, stride=2).shape == (3, 4)
    assert helpers.max_pool2d(rng.random((7, 9)), size=(1, 3), stride=(2, 3)).shape == (4, 3)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), h=st.integers(1, 13), w=st.integers(1, 13), c=st.integers(1, 4),
       fh=st.integers(1, 4), fw=st.integers(1, 4), sh=st.integers(1, 4), sw=st.integers(1, 4),
       default_stride=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_against_keras_random_shapes(n, h, w, c, fh, fw, sh, sw, default_stride, seed):
    fh, fw = min(fh, h), min(fw, w)
    x = np.random.default_rng(seed).normal(size=(n, h, w, c)).astype("float32")
    stride = None if default_stride else (sh, sw)
    expected = keras_max_pool(x, (fh, fw), stride)
    for method in ("vectorised", "loop"):
        out = helpers.max_pool2d(x, size=(fh, fw), stride=stride, method=method)
        assert out.shape == expected.shape
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("size", [2, 3])
def test_ranks_two_and_three_against_keras(size):
    x = np.random.default_rng(1).random((10, 11, 3)).astype("float32")
    expected = keras_max_pool(x[None], size, None)
    np.testing.assert_array_equal(helpers.max_pool2d(x, size), expected[0])
    np.testing.assert_array_equal(helpers.max_pool2d(x[:, :, 1], size), expected[0, :, :, 1])


def test_against_skimage_block_reduce():
    from skimage.measure import block_reduce

    x = np.random.default_rng(2).integers(-50, 50, size=(12, 18, 2))
    for f in (1, 2, 3, 6):
        np.testing.assert_array_equal(helpers.max_pool2d(x, f), block_reduce(x, (f, f, 1), np.max))


def test_stride_one_against_scipy_maximum_filter():
    from scipy.ndimage import maximum_filter

    x = np.random.default_rng(3).random((9, 8))
    for f in (2, 3, 4):
        # maximum_filter's window at index c covers c - f//2 ... c - f//2 + f - 1: it starts at c - f//2.
        full = maximum_filter(x, size=f, mode="constant", cval=-np.inf)
        c = f // 2
        np.testing.assert_array_equal(helpers.max_pool2d(x, f, stride=1), full[c:c + 9 - f + 1, c:c + 8 - f + 1])


@pytest.mark.parametrize("call, message", [
    (lambda: helpers.max_pool2d(np.zeros(5)), "shape"),
    (lambda: helpers.max_pool2d(np.zeros((1, 2, 4, 4, 1))), "shape"),
    (lambda: helpers.max_pool2d(np.array([["a", "b"], ["c", "d"]])), "real numbers"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), size=0), "size"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), size=2.0), "size"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), size=True), "size"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), size=(2, 2, 2)), "size"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), size=5), "larger than the input"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), stride=0), "stride"),
    (lambda: helpers.max_pool2d(np.zeros((4, 4)), method="fast"), "method"),
    (lambda: helpers.max_pool2d(np.zeros((0, 4, 4, 1))), "must not be empty"),
    (lambda: helpers.max_pool2d(np.array([[1.0, np.nan], [0.0, 1.0]])), "finite"),
])
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
