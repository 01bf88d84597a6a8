"""The package's rules (helpers/validation.py), held by every helper that takes arrays or numbers:
one array layout, NaN and infinity refused, bool arrays computed as 0/1, bool scalars refused."""

import numpy as np
import pytest
from scipy import ndimage, signal

import helpers
from helpers import validation

IMAGE = np.random.default_rng(0).random((6, 6))
KERNEL = np.array([[1.0, 0.0, -1.0]] * 3)

# Each helper that takes an array, with that array as the only argument left open.
ARRAY_TAKERS = {
    "correlate2d(image)": lambda a: helpers.correlate2d(a, KERNEL),
    "correlate2d(kernel)": lambda a: helpers.correlate2d(IMAGE, a[:3, :3]),
    "convolve2d(image)": lambda a: helpers.convolve2d(a, KERNEL),
    "conv2d(x)": lambda a: helpers.conv2d(a[None, :, :, None], KERNEL[:, :, None, None]),
    "conv2d(w)": lambda a: helpers.conv2d(IMAGE[:, :, None], a[:3, :3, None, None]),
    "max_pool2d(x)": lambda a: helpers.max_pool2d(a),
    "shift_images(x)": lambda a: helpers.shift_images(a[None, :, :, None], 1, 0),
    "tuning_curve(kernel)": lambda a: helpers.tuning_curve(a[:3, :3], [0, 90]).complex,
    "orientation_selectivity(responses)": lambda a: helpers.orientation_selectivity([0, 45, 90, 135],
                                                                                     np.abs(a[0, :4])),
}


@pytest.mark.parametrize("name", ARRAY_TAKERS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinity_are_refused_everywhere(name, bad):
    a = IMAGE.copy()
    a[0, 0] = bad
    with pytest.raises(ValueError, match="finite"):
        ARRAY_TAKERS[name](a)


@pytest.mark.parametrize("name", ARRAY_TAKERS)
def test_bool_arrays_are_zeros_and_ones_everywhere(name):
    mask = IMAGE > 0.5
    np.testing.assert_allclose(np.asarray(ARRAY_TAKERS[name](mask), dtype=float),
                               np.asarray(ARRAY_TAKERS[name](mask.astype(float)), dtype=float))


def test_bool_arrays_against_scipy():
    mask = IMAGE > 0.5
    np.testing.assert_allclose(helpers.correlate2d(mask, KERNEL), signal.correlate2d(mask, KERNEL, "valid"))
    np.testing.assert_array_equal(helpers.max_pool2d(mask, 2, 1), ndimage.maximum_filter(mask, 2)[1:, 1:])


@pytest.mark.parametrize("call", [
    lambda: helpers.conv_output_size(True, 3),
    lambda: helpers.correlate2d(IMAGE, KERNEL, stride=True),
    lambda: helpers.max_pool2d(IMAGE, size=True),
    lambda: helpers.dense_params(True, 3),
    lambda: helpers.format_bytes(True),
    lambda: helpers.oriented_bar(9, True, 2, 5),
    lambda: helpers.receptive_field([(True, 1)]),
    lambda: helpers.shift_images(IMAGE[None, :, :, None], True, 0),
])
def test_bool_scalars_are_not_numbers(call):
    with pytest.raises(ValueError, match="True"):
        call()


def test_layout_a_3d_array_is_one_image_with_channels():
    """(H, W, C) everywhere: max_pool2d pools each channel of one image, as Keras pools a batch of one."""
    import keras

    x = np.random.default_rng(1).random((6, 8, 3)).astype("float32")
    expected = np.asarray(keras.layers.MaxPooling2D(2)(x[None]))[0]
    np.testing.assert_array_equal(helpers.max_pool2d(x), expected)
    assert helpers.conv2d(x, np.ones((3, 3, 3, 2))).shape == (4, 6, 2)


def test_layout_a_function_that_needs_a_batch_says_what_to_pass():
    digits = np.zeros((5, 28, 28))                 # a batch of gray digits without the channel axis
    with pytest.raises(ValueError, match=r"pass x\[\.\.\., None\], shape \(m, n_H, n_W, 1\)"):
        helpers.shift_images(digits, 1, 0)
    assert helpers.shift_images(digits[..., None], 1, 0).shape == (5, 28, 28, 1)


@pytest.mark.parametrize("value, expected", [
    (0, 0), (3, 3), ("valid", "valid"), ("SAME", "same"), ("Full", "full"), (np.int64(2), 2)])
def test_padding_names_in_any_case(value, expected):
    assert validation.padding(value) == expected


@pytest.mark.parametrize("value", [-1, 1.0, True, "half", None, "causal"])
def test_padding_refused(value):
    with pytest.raises(ValueError, match=r"padding \(p\) must be a non-negative integer or one of"):
        validation.padding(value)


def test_same_examples_one_message_for_inputs_and_labels():
    """The check fit_classifier and the exercise checkers share: same positive number of x and y."""
    x, y = np.zeros((3, 2)), [0, 1, 2]
    assert validation.same_examples(x, y) == (x, y)
    with pytest.raises(ValueError, match=r"^train's x and y must hold the same positive number of examples, "
                                         r"got 3 and 2$"):
        validation.same_examples(np.zeros((3, 2)), [0, 1], "train's x and y")
    with pytest.raises(ValueError, match=r"^x and y must hold .* got 0 and 0$"):
        validation.same_examples([], [])
