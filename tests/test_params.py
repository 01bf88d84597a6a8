"""helpers.params against hand-computed values and Keras' own parameter counts."""

import numpy as np
import pytest

import helpers


def test_dense_params_hand_computed():
    assert helpers.dense_params(3, 2) == 3 * 2 + 2
    assert helpers.dense_params(40_000, 40_000) == 1_600_040_000
    assert helpers.dense_params(120_000, 120_000) == 14_400_120_000
    assert helpers.dense_params(10, 4, bias=False) == 40


def test_conv_params_hand_computed():
    assert helpers.conv_params(3, 3, 3) == 84            # slide: 3 * (3*3*3 + 1)
    assert helpers.conv_params(3, 1, 1) == 10            # one 3x3 filter on one channel
    assert helpers.conv_params(7, 1, 1) == 50            # slide: one 7x7 convolution
    assert helpers.conv_params(3, 64, 128) == 73_856     # a VGG16 block-2 convolution
    assert helpers.conv_params(5, 2, 4, bias=False) == 200


def test_param_memory_hand_computed():
    assert helpers.param_memory(1_600_040_000) == 6_400_160_000
    assert helpers.param_memory(10, dtype="float64") == 80
    assert helpers.param_memory(10, dtype="float16") == 20
    assert helpers.param_memory(0) == 0


def test_format_bytes():
    assert helpers.format_bytes(6_400_160_000) == "6.4 GB"
    assert helpers.format_bytes(57_600_480_000) == "57.6 GB"
    assert helpers.format_bytes(512) == "512 B"
    assert helpers.format_bytes(0) == "0 B"


@pytest.mark.parametrize("n_bytes, text", [
    (999, "999 B"), (999.6, "1 kB"), (999_500, "1 MB"), (999_499, "999 kB"), (999_999_999, "1 GB"),
    (999_500_000_000, "1 TB"), (np.int64(2_000_000), "2 MB"), (np.float32(1500.0), "1.5 kB"),
])
def test_format_bytes_rolls_over_to_the_next_unit(n_bytes, text):
    assert helpers.format_bytes(n_bytes) == text


def test_format_bytes_against_its_definition_on_random_sizes():
    """Independent of the implementation: the number shown is in [1, 1000) (or 0), has at most three
    significant digits, and times its unit it is within half a unit in the third digit of n_bytes."""
    scale = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15}
    rng = np.random.default_rng(0)
    for n_bytes in np.concatenate([10 ** rng.uniform(0, 17, 300), rng.integers(0, 10**6, 100)]):
        number, unit = helpers.format_bytes(n_bytes).split()
        value = float(number)
        assert 1 <= value < 1000 or (value == 0 and n_bytes == 0), (n_bytes, number, unit)
        assert len(number.replace(".", "").lstrip("0")) <= 3, (n_bytes, number)
        assert abs(value * scale[unit] - n_bytes) <= 0.005 * n_bytes + 1e-9, (n_bytes, number, unit)


@pytest.mark.parametrize("n_in,n_out", [(1, 1), (64, 32), (784, 10), (3 * 32 * 32, 7)])
def test_dense_params_against_keras(n_in, n_out):
    import keras

    layer = keras.layers.Dense(n_out)
    layer.build((None, n_in))
    assert layer.count_params() == helpers.dense_params(n_in, n_out)
    no_bias = keras.layers.Dense(n_out, use_bias=False)
    no_bias.build((None, n_in))
    assert no_bias.count_params() == helpers.dense_params(n_in, n_out, bias=False)


def test_conv_params_against_keras_random_shapes():
    import keras

    rng = np.random.default_rng(0)
    for _ in range(12):
        f, c, k = (int(v) for v in (rng.integers(1, 8), rng.integers(1, 17), rng.integers(1, 33)))
        layer = keras.layers.Conv2D(k, f)
        layer.build((None, 32, 32, c))
        assert layer.count_params() == helpers.conv_params(f, c, k), (f, c, k)


def test_param_memory_against_numpy():
    for dtype in ["float16", "float32", "float64", "int8"]:
        assert helpers.param_memory(1000, dtype) == np.zeros(1000, dtype=dtype).nbytes


@pytest.mark.parametrize("call, message", [
    (lambda: helpers.dense_params(0, 3), r"^n_in must be a positive integer, got 0$"),
    (lambda: helpers.dense_params(3.5, 3), r"^n_in must be a positive integer, got 3\.5$"),
    (lambda: helpers.dense_params(3, -1), r"^n_out must be a positive integer, got -1$"),
    (lambda: helpers.dense_params(True, 3), r"^n_in must be a positive integer, got True$"),
    (lambda: helpers.dense_params(3, 3, bias="yes"), r"^bias must be True or False, got 'yes'$"),
    (lambda: helpers.conv_params(0, 3, 3), r"^f \(the filter size\) must be a positive integer, got 0$"),
    (lambda: helpers.conv_params(3, 0, 3), r"^n_c_in \(input channels\) must be a positive integer, got 0$"),
    (lambda: helpers.conv_params(3, 3, "8"), r"^n_filters must be a positive integer, got '8'$"),
    (lambda: helpers.param_memory(-1), r"^n_params must be a non-negative integer, got -1$"),
    (lambda: helpers.param_memory(1.5), r"^n_params must be a non-negative integer, got 1\.5$"),
    (lambda: helpers.param_memory(10, dtype="no-such-type"), r"^dtype must be a numeric dtype .*'no-such-type'$"),
    (lambda: helpers.param_memory(10, dtype="U3"), r"^dtype must be a numeric dtype .*'U3'$"),
    (lambda: helpers.param_memory(10, dtype=None), r"^dtype must be a numeric dtype .*None$"),
    (lambda: helpers.format_bytes(-1), r"^n_bytes \(a number of bytes\) must be non-negative, got -1\.0$"),
    (lambda: helpers.format_bytes(float("nan")), r"^n_bytes \(a number of bytes\) must be a finite number, got nan$"),
    (lambda: helpers.format_bytes(float("inf")), r"must be a finite number, got inf$"),
    (lambda: helpers.format_bytes("1000"), r"^n_bytes \(a number of bytes\) must be a real number, got '1000'$"),
    (lambda: helpers.format_bytes(None), r"must be a real number, got None$"),
    (lambda: helpers.format_bytes(True), r"must be a real number, got True$"),
])
def test_bad_input_raises_value_error(call, message):
    """Each mistake gets its own message: the argument, what was expected, what came."""
    with pytest.raises(ValueError, match=message):
        call()
