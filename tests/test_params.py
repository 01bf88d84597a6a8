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


@pytest.mark.parametrize("call", [
    lambda: helpers.dense_params(0, 3),
    lambda: helpers.dense_params(3.5, 3),
    lambda: helpers.dense_params(3, -1),
    lambda: helpers.dense_params(True, 3),
    lambda: helpers.conv_params(0, 3, 3),
    lambda: helpers.conv_params(3, 0, 3),
    lambda: helpers.conv_params(3, 3, "8"),
    lambda: helpers.param_memory(-1),
    lambda: helpers.param_memory(1.5),
    lambda: helpers.param_memory(10, dtype="no-such-type"),
    lambda: helpers.param_memory(10, dtype="U3"),
    lambda: helpers.format_bytes(-1),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError, match="must be"):
        call()
