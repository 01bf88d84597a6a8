"""helpers.correlate2d / convolve2d / conv2d / conv_output_size against scipy.signal, tf.nn.conv2d,
keras.layers.Conv2D and hand-computed worked examples; the loop and vectorised paths against each other."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

import helpers

METHODS = ("loop", "vectorised")


def tf_conv2d(x, w, stride, padding):
    """tf.nn.conv2d with an int padding written out as TensorFlow's explicit paddings."""
    import tensorflow as tf

    if isinstance(padding, str):
        pad = padding.upper()
    else:
        pad = [[0, 0], [padding, padding], [padding, padding], [0, 0]]
    return tf.nn.conv2d(x, w, strides=stride, padding=pad).numpy()


def padded_scipy_correlate(image, kernel, padding, stride):
    """Independent reference for an int padding and any stride: zeros by np.pad, scipy, then every s-th cell."""
    return signal.correlate2d(np.pad(image, padding), kernel, mode="valid")[::stride, ::stride]


# ----------------------------------------------------------------------------- worked examples


# The lecture's 6x6 image and 3x3 filter with small integers (notebook 02 uses the same numbers).
IMAGE = np.array([[3, 0, 1, 2, 7, 4],
                  [1, 5, 8, 9, 3, 1],
                  [2, 7, 2, 5, 1, 3],
                  [0, 1, 3, 1, 7, 8],
                  [4, 2, 1, 6, 2, 8],
                  [2, 4, 5, 2, 3, 9]])
FILTER = np.array([[1, 0, -1],
                   [1, 0, -1],
                   [1, 0, -1]])


def test_slide_worked_example_a11_by_hand():
    a, w = IMAGE, FILTER
    # a'_11 = w00 a00 + w01 a01 + w02 a02 + w10 a10 + w11 a11 + w12 a12 + w20 a20 + w21 a21 + w22 a22
    by_hand = 1 * 3 + 0 * 0 + -1 * 1 + 1 * 1 + 0 * 5 + -1 * 8 + 1 * 2 + 0 * 7 + -1 * 2
    expected = np.array([[-5, -4, 0, 8],
                         [-10, -2, 2, 3],
                         [0, -2, -4, -7],
                         [-3, -2, -3, -16]])
    for method in METHODS:
        out = helpers.correlate2d(a, w, method=method)
        assert out.shape == (4, 4) and out.dtype == np.float64
        assert out[0, 0] == by_hand
        np.testing.assert_array_equal(out, expected)


def test_vertical_edge_example():
    image = np.array([[10, 10, 10, 0, 0, 0]] * 6)
    for method in METHODS:
        np.testing.assert_array_equal(helpers.correlate2d(image, FILTER, method=method), [[0, 30, 30, 0]] * 4)
        # the flipped filter turns the edge detector's sign around
        np.testing.assert_array_equal(helpers.convolve2d(image, FILTER, method=method), [[0, -30, -30, 0]] * 4)


def test_padding_and_stride_worked_example():
    a = np.arange(1, 10).reshape(3, 3)             # 1..9
    w = np.ones((2, 2))
    # padding 1: a 5x5 padded image; 2x2 windows (sums) start at rows and cols 0 and 2:
    # floor((3 + 2 - 2) / 2) + 1 = 2 a side. Top-left window: 0 0 / 0 1 -> 1; bottom-right: 5 6 / 8 9 -> 28.
    expected = np.array([[1, 2 + 3],
                         [4 + 7, 28]])
    assert helpers.conv_output_size(3, 2, padding=1, stride=2) == 2
    for method in METHODS:
        np.testing.assert_array_equal(helpers.correlate2d(a, w, padding=1, stride=2, method=method), expected)


def test_asymmetric_kernel_correlation_differs_from_convolution():
    a = IMAGE.astype(float)
    w = np.array([[0, 1, 2], [0, 0, 0], [0, 0, 0]])     # asymmetric: flipping it changes it
    corr, conv = helpers.correlate2d(a, w), helpers.convolve2d(a, w)
    assert not np.array_equal(corr, conv)
    np.testing.assert_array_equal(conv, helpers.correlate2d(a, w[::-1, ::-1]))
    # by hand: correlation reads row 0, cols 1..2; convolution (flipped) reads row 2, cols 0..1
    assert corr[0, 0] == 1 * 0 + 2 * 1 and conv[0, 0] == 2 * 2 + 1 * 7


# ----------------------------------------------------------------------------- scipy.signal


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("kernel_shape", [(1, 1), (3, 3), (2, 2), (2, 3), (4, 1), (5, 5)])
def test_names_against_scipy(mode, kernel_shape):
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(9, 11)), rng.normal(size=kernel_shape)
    for method in METHODS:
        np.testing.assert_allclose(helpers.correlate2d(image, kernel, mode, method=method),
                                   signal.correlate2d(image, kernel, mode), atol=1e-12)
        np.testing.assert_allclose(helpers.convolve2d(image, kernel, mode, method=method),
                                   signal.convolve2d(image, kernel, mode), atol=1e-12)


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_large_image_against_scipy(stride):
    """Larger than one block of rows of the vectorised path (and a real photograph's scale)."""
    from skimage import data

    image = data.camera()[100:300, 50:230].astype(float) / 255
    kernel = np.random.default_rng(stride).normal(size=(5, 3))
    for padding in (0, 2):
        np.testing.assert_allclose(helpers.correlate2d(image, kernel, padding, stride),
                                   padded_scipy_correlate(image, kernel, padding, stride), atol=1e-12)
    for mode in ("same", "full") if stride == 1 else ("full",):   # TF's "same" pads less when s > 1
        np.testing.assert_allclose(helpers.convolve2d(image, kernel, mode, stride),
                                   signal.convolve2d(image, kernel, mode)[::stride, ::stride], atol=1e-12)


padding_st = st.one_of(st.integers(0, 3), st.sampled_from(["valid", "same", "full"]))


@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), fh=st.integers(1, 5), fw=st.integers(1, 5),
       padding=padding_st, stride=st.integers(1, 4), seed=st.integers(0, 2**31 - 1))
def test_correlate_and_convolve_property(h, w, fh, fw, padding, stride, seed):
    rng = np.random.default_rng(seed)
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(fh, fw))
    pad = {"valid": 0, "full": max(fh, fw)}.get(padding, padding)   # "full" always fits
    if padding != "same" and (fh > h + 2 * pad or fw > w + 2 * pad):
        with pytest.raises(ValueError, match="larger than the padded input"):
            helpers.correlate2d(image, kernel, padding, stride)
        return
    if isinstance(padding, int):
        expected = padded_scipy_correlate(image, kernel, padding, stride)
        expected_conv = padded_scipy_correlate(image, kernel[::-1, ::-1], padding, stride)
    elif padding == "same" and stride > 1:
        expected = tf_conv2d(image[None, :, :, None], kernel[:, :, None, None], stride, "same")[0, :, :, 0]
        expected_conv = None
    else:
        expected = signal.correlate2d(image, kernel, padding)[::stride, ::stride]
        expected_conv = signal.convolve2d(image, kernel, padding)[::stride, ::stride]
    results = {m: helpers.correlate2d(image, kernel, padding, stride, method=m) for m in METHODS}
    np.testing.assert_allclose(results["loop"], results["vectorised"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(results["vectorised"], expected, rtol=1e-5, atol=1e-5)
    if fh == fw:
        assert expected.shape == (helpers.conv_output_size(h, fh, padding, stride),
                                  helpers.conv_output_size(w, fw, padding, stride))
    if expected_conv is not None:
        conv = {m: helpers.convolve2d(image, kernel, padding, stride, method=m) for m in METHODS}
        np.testing.assert_allclose(conv["loop"], conv["vectorised"], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(conv["vectorised"], expected_conv, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("padding", [0, 1, 2, "valid", "full"])
@pytest.mark.parametrize("f", [1, 3, 5])
def test_odd_kernel_convolve_is_correlate_with_flipped_kernel(padding, f):
    rng = np.random.default_rng(f)
    image, kernel = rng.normal(size=(8, 7)), rng.normal(size=(f, f))
    for stride in (1, 2, 3):
        np.testing.assert_allclose(helpers.convolve2d(image, kernel, padding, stride),
                                   helpers.correlate2d(image, kernel[::-1, ::-1], padding, stride), atol=1e-12)
    np.testing.assert_allclose(helpers.convolve2d(image, kernel, "same"),
                               helpers.correlate2d(image, kernel[::-1, ::-1], "same"), atol=1e-12)


def test_dtypes_and_list_input():
    a32 = np.random.default_rng(1).random((6, 6)).astype("float32")
    assert helpers.correlate2d(a32, FILTER.astype("float32")).dtype == np.float32
    assert helpers.correlate2d(IMAGE, FILTER).dtype == np.float64
    assert helpers.convolve2d(IMAGE.tolist(), FILTER.tolist()).dtype == np.float64
    assert helpers.conv2d(a32[:, :, None], np.ones((3, 3, 1, 2), "float32")).dtype == np.float32
    # the input is not changed
    before = IMAGE.copy()
    helpers.correlate2d(IMAGE, FILTER, padding=2)
    np.testing.assert_array_equal(IMAGE, before)


# ----------------------------------------------------------------------------- TensorFlow and Keras


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), h=st.integers(1, 11), w=st.integers(1, 11), c=st.integers(1, 4),
       k=st.integers(1, 4), f=st.integers(1, 4), stride=st.integers(1, 3),
       padding=st.one_of(st.sampled_from(["valid", "same"]), st.integers(0, 2)),
       batched=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_conv2d_against_tf_nn_conv2d(n, h, w, c, k, f, stride, padding, batched, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, h, w, c)).astype("float32")
    weights = rng.normal(size=(f, f, c, k)).astype("float32")
    b = rng.normal(size=k).astype("float32")
    pad = 0 if padding == "valid" else padding
    if padding != "same" and f > min(h, w) + 2 * pad:
        with pytest.raises(ValueError, match="larger than the padded input"):
            helpers.conv2d(x, weights, b, stride, padding)
        return
    expected = tf_conv2d(x, weights, stride, padding) + b
    x_in = x if batched else x[0]
    for method in METHODS:
        out = helpers.conv2d(x_in, weights, b, stride=stride, padding=padding, method=method)
        out = out if batched else out[None]
        assert out.shape == (n if batched else 1, *expected.shape[1:])
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, expected[:out.shape[0]], rtol=1e-4, atol=1e-4)
    assert expected.shape[1:3] == (helpers.conv_output_size(h, f, padding, stride),
                                   helpers.conv_output_size(w, f, padding, stride))


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_against_keras_conv2d_layer(stride, padding):
    import keras

    rng = np.random.default_rng(stride)
    x = rng.normal(size=(2, 13, 10, 3)).astype("float32")
    layer = keras.layers.Conv2D(4, 3, strides=stride, padding=padding)
    layer.build(x.shape)
    weights = rng.normal(size=(3, 3, 3, 4)).astype("float32")
    b = rng.normal(size=4).astype("float32")
    layer.set_weights([weights, b])
    expected = np.asarray(layer(x))
    for method in METHODS:
        np.testing.assert_allclose(helpers.conv2d(x, weights, b, stride, padding, method=method), expected,
                                   rtol=1e-4, atol=1e-4)


def test_keras_conv2d_one_channel_equals_correlate2d():
    import keras

    layer = keras.layers.Conv2D(1, 3, padding="valid", use_bias=False)
    layer.build((None, 6, 6, 1))
    layer.set_weights([FILTER.astype("float32")[:, :, None, None]])
    keras_map = np.asarray(layer(IMAGE.astype("float32")[None, :, :, None]))[0, :, :, 0]
    np.testing.assert_array_equal(keras_map, helpers.correlate2d(IMAGE, FILTER))
    assert not np.array_equal(keras_map, helpers.convolve2d(IMAGE, FILTER))   # Keras does not flip


def test_conv2d_is_a_sum_of_correlate2d_over_channels():
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(9, 8, 3)), rng.normal(size=(3, 3, 3, 2)), rng.normal(size=2)
    for padding in ("valid", "same", 2):
        for stride in (1, 2):
            expected = np.stack([sum(helpers.correlate2d(x[:, :, c], w[:, :, c, k], padding, stride)
                                     for c in range(3)) + b[k] for k in range(2)], axis=-1)
            np.testing.assert_allclose(helpers.conv2d(x, w, b, stride, padding), expected, atol=1e-12)


def test_conv2d_batch_larger_than_a_few_images():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 20, 17, 6)).astype("float32")
    w = rng.normal(size=(3, 3, 6, 7)).astype("float32")
    for padding in ("valid", "same"):
        np.testing.assert_allclose(helpers.conv2d(x, w, padding=padding), tf_conv2d(x, w, 1, padding),
                                   rtol=1e-4, atol=1e-4)


# ----------------------------------------------------------------------------- output size


@pytest.mark.parametrize("n, f, p, s, expected", [
    (6, 3, 0, 1, 4),          # the slide's 6x6 image and 3x3 filter
    (5, 3, 1, 1, 5),
    (7, 3, 1, 2, 4), (8, 3, 1, 2, 4),
    (32, 5, 0, 1, 28),
    (224, 7, 3, 2, 112),
    (7, 3, "valid", 2, 3), (7, 3, "same", 2, 4), (7, 4, "same", 1, 7), (7, 3, "full", 1, 9),
    (7, 3, "full", 2, 5), (3, 5, "same", 1, 3),
])
def test_conv_output_size_examples(n, f, p, s, expected):
    assert helpers.conv_output_size(n, f, padding=p, stride=s) == expected


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), f=st.integers(1, 7), s=st.integers(1, 5), p=st.integers(0, 4),
       name=st.sampled_from(["valid", "same"]))
def test_conv_output_size_against_keras(n, f, s, p, name):
    import keras

    layer = keras.layers.Conv2D(1, f, strides=s, padding=name)
    if name == "valid" and f > n:
        with pytest.raises(ValueError, match="larger than the padded input"):
            helpers.conv_output_size(n, f, padding=name, stride=s)
    else:
        assert helpers.conv_output_size(n, f, padding=name, stride=s) == layer.compute_output_shape((1, n, n, 1))[1]
    if f <= n + 2 * p:
        assert helpers.conv_output_size(n, f, padding=p, stride=s) == (n + 2 * p - f) // s + 1
        assert helpers.conv_output_size(n, f, p, s) == len(range(0, n + 2 * p - f + 1, s))


# ----------------------------------------------------------------------------- bad input


A, K = np.zeros((6, 6)), np.ones((3, 3))
X, W = np.zeros((2, 6, 6, 3)), np.ones((3, 3, 3, 4))


@pytest.mark.parametrize("fn", [helpers.correlate2d, helpers.convolve2d])
@pytest.mark.parametrize("kwargs, message", [
    (dict(image=A, kernel=np.ones((7, 7))), "larger than the padded input"),
    (dict(image=A, kernel=np.ones((9, 2)), padding=1), "larger than the padded input"),
    (dict(image=A, kernel=K, stride=0), "stride"),
    (dict(image=A, kernel=K, stride=-1), "stride"),
    (dict(image=A, kernel=K, stride=1.5), "integer"),
    (dict(image=A, kernel=K, stride=2.0), "integer"),
    (dict(image=A, kernel=K, stride=True), "stride"),
    (dict(image=A, kernel=K, padding=-1), "non-negative"),
    (dict(image=A, kernel=K, padding=1.5), "non-negative integer"),
    (dict(image=A, kernel=K, padding=True), "padding"),
    (dict(image=A, kernel=K, padding="middle"), "'valid', 'same', 'full'"),
    (dict(image=np.zeros(6), kernel=K), "image must have shape"),
    (dict(image=np.zeros((6, 6, 3)), kernel=K), "image must have shape"),
    (dict(image=A, kernel=np.ones(3)), "kernel must have shape"),
    (dict(image=A, kernel=np.ones((3, 3, 1))), "kernel must have shape"),
    (dict(image=A, kernel=np.ones((0, 3))), "kernel must not be empty"),
    (dict(image=np.zeros((0, 6)), kernel=K), "image must not be empty"),
    (dict(image=np.array([["a", "b"], ["c", "d"]]), kernel=K), "real numbers"),
    (dict(image=A, kernel=K, method="fast"), "method"),
])
def test_correlate_bad_input(fn, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fn(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    (dict(x=X, w=np.ones((7, 7, 3, 4))), "larger than the padded input"),
    (dict(x=X, w=np.ones((3, 2, 3, 4))), "square"),
    (dict(x=X, w=np.ones((3, 3, 2, 4))), "n_c = 3 channels but w's filters have 2"),
    (dict(x=X, w=W, b=np.ones(3)), r"one bias per filter, shape \(4,\)"),
    (dict(x=X, w=W, b=np.ones((1, 4))), "one bias per filter"),
    (dict(x=X, w=W, b=np.array(["a"] * 4)), "b must be an array of real numbers"),
    (dict(x=np.zeros((6, 6)), w=W), "x must have shape"),
    (dict(x=np.zeros((1, 2, 6, 6, 3)), w=W), "x must have shape"),
    (dict(x=X, w=np.ones((3, 3, 3))), "w must have shape"),
    (dict(x=X, w=np.ones((0, 0, 3, 4))), "w must not be empty"),
    (dict(x=X, w=np.ones((3, 3, 3, 0)), b=np.ones(0)), "w must not be empty"),
    (dict(x=np.zeros((0, 6, 6, 3)), w=W), "x must not be empty"),
    (dict(x=X, w=W, stride=0), "stride"),
    (dict(x=X, w=W, stride=1.0), "stride"),
    (dict(x=X, w=W, padding=-2), "non-negative"),
    (dict(x=X, w=W, padding="causal"), r"padding \(p\) must be"),
    (dict(x=X, w=W, method="im2col"), "method"),
])
def test_conv2d_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        helpers.conv2d(**kwargs)


@pytest.mark.parametrize("args, kwargs, message", [
    ((5, 7), {}, "larger than the padded input"),
    ((5, 8), dict(padding=1), "larger than the padded input"),
    ((5, 6), dict(padding="valid"), "larger than the padded input"),
    ((0, 3), {}, "n "),
    ((5, 0), {}, "f "),
    ((5.0, 3), {}, "n "),
    ((5, 3), dict(stride=0), "stride"),
    ((5, 3), dict(stride=1.5), "stride"),
    ((5, 3), dict(padding=-1), "non-negative"),
    ((5, 3), dict(padding=0.5), "non-negative"),
    ((5, 3), dict(padding="half"), r"padding \(p\) must be"),
])
def test_conv_output_size_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        helpers.conv_output_size(*args, **kwargs)
