"""helpers.models against keras.applications.VGG16, Keras' own layers and hand-computed counts."""

import keras  # the course's environment has Keras; without it these tests fail, they are not skipped
import numpy as np
import pytest

import helpers


def test_vgg_block_layers_and_names():
    layers = helpers.vgg_block(32, 2, block=3)
    assert [layer.name for layer in layers] == ["block3_conv1", "block3_conv2", "block3_pool"]
    for conv in layers[:-1]:
        assert isinstance(conv, keras.layers.Conv2D)
        assert conv.kernel_size == (3, 3) and conv.padding == "same" and conv.strides == (1, 1)
        assert conv.activation.__name__ == "relu" and conv.filters == 32
    pool = layers[-1]
    assert isinstance(pool, keras.layers.MaxPooling2D) and pool.pool_size == (2, 2) and pool.strides == (2, 2)


def test_vgg_block_shapes_and_params_hand_computed():
    # block on 28 x 28 x 1: conv keeps 28 x 28, pool halves; params 16 (9*1+1) + 16 (9*16+1)
    model = keras.Sequential([keras.Input((28, 28, 1)), *helpers.vgg_block(16, 2)])
    assert model.output_shape == (None, 14, 14, 16)
    assert model.count_params() == 16 * (9 * 1 + 1) + 16 * (9 * 16 + 1) == 2480
    assert model.count_params() == helpers.conv_params(3, 1, 16) + helpers.conv_params(3, 16, 16)


def test_vgg_block_matches_a_numpy_forward_pass():
    """conv (cross-correlation, zero padding 1) + ReLU, then 2 x 2 max-pool, computed by numpy/scipy."""
    from scipy import signal

    keras.utils.set_random_seed(helpers.SEED)
    model = keras.Sequential([keras.Input((6, 8, 2)), *helpers.vgg_block(3, 1)])
    x = np.random.default_rng(0).normal(size=(1, 6, 8, 2)).astype("float32")
    kernel, bias = model.layers[0].get_weights()
    z = np.stack([sum(signal.correlate2d(x[0, :, :, c], kernel[:, :, c, k], mode="same") for c in range(2)) + bias[k]
                  for k in range(3)], axis=-1)
    a = np.maximum(z, 0)
    pooled = a.reshape(3, 2, 4, 2, 3).max(axis=(1, 3))
    np.testing.assert_allclose(model(x).numpy()[0], pooled, atol=1e-5)


def test_vgg_block_with_batch_norm():
    layers = helpers.vgg_block(8, 1, batch_norm=True)
    assert [type(layer).__name__ for layer in layers] == [
        "Conv2D", "BatchNormalization", "Activation", "MaxPooling2D"]
    assert layers[0].use_bias is False


def test_vgg_style_cnn_is_vgg16():
    """With VGG16's blocks and head the helper builds exactly keras.applications.VGG16 (no download)."""
    reference = keras.applications.VGG16(weights=None)
    ours = helpers.vgg_style_cnn((224, 224, 3), 1000, blocks=helpers.VGG16_BLOCKS, dense=(4096, 4096))
    assert ours.count_params() == reference.count_params() == 138_357_544
    ref_layers = [layer for layer in reference.layers if not isinstance(layer, keras.layers.InputLayer)]
    assert [layer.name for layer in ours.layers] == [layer.name for layer in ref_layers]
    for a, b in zip(ours.layers, ref_layers):
        assert a.output.shape == b.output.shape, a.name
        assert a.count_params() == b.count_params(), a.name


def test_vgg_style_cnn_on_mnist_shapes_and_params():
    model = helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((32, 2), (64, 2)), dense=(128,))
    assert model.output_shape == (None, 10)
    assert model.get_layer("block2_pool").output.shape == (None, 7, 7, 64)
    expected = (helpers.conv_params(3, 1, 32) + helpers.conv_params(3, 32, 32)
                + helpers.conv_params(3, 32, 64) + helpers.conv_params(3, 64, 64)
                + helpers.dense_params(7 * 7 * 64, 128) + helpers.dense_params(128, 10))
    assert model.count_params() == expected
    probs = model(np.zeros((2, 28, 28, 1), "float32")).numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)


def test_vgg_style_cnn_dropout_and_preprocessing():
    shift = keras.layers.RandomTranslation(0.1, 0.1)
    model = helpers.vgg_style_cnn((32, 32, 3), 5, blocks=((8, 1),), dense=(16, 8), dropout=0.25,
                                  preprocessing=[shift])
    names = [layer.name for layer in model.layers]
    assert names[0] == shift.name
    assert names == [shift.name, "block1_conv1", "block1_pool", "flatten",
                     "dropout1", "fc1", "dropout2", "fc2", "dropout3", "predictions"]
    assert all(model.get_layer(n).rate == 0.25 for n in ("dropout1", "dropout2", "dropout3"))
    assert model.output_shape == (None, 5)


def test_dense_baseline_params_against_formula():
    model = helpers.dense_baseline((28, 28, 1), 10)
    assert model.count_params() == (helpers.dense_params(784, 512) + helpers.dense_params(512, 256)
                                    + helpers.dense_params(256, 10)) == 535_818
    assert model.output_shape == (None, 10)
    cifar = helpers.dense_baseline((32, 32, 3), 10, hidden=(64,), dropout=0.5)
    assert cifar.count_params() == helpers.dense_params(3072, 64) + helpers.dense_params(64, 10)
    assert cifar.get_layer("dropout1").rate == 0.5


def test_dense_baseline_matches_a_numpy_forward_pass():
    keras.utils.set_random_seed(helpers.SEED)
    model = helpers.dense_baseline((4, 5, 1), 3, hidden=(6,))
    x = np.random.default_rng(1).random((2, 4, 5, 1)).astype("float32")
    (w1, b1), (w2, b2) = model.get_layer("fc1").get_weights(), model.get_layer("predictions").get_weights()
    a1 = np.maximum(x.reshape(2, -1) @ w1 + b1, 0)
    z2 = a1 @ w2 + b2
    y = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model(x).numpy(), y, atol=1e-6)


def test_the_lesson_dense_has_more_parameters_than_the_cnn():
    cnn = helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((16, 2), (32, 2)))
    dense = helpers.dense_baseline((28, 28, 1), 10)
    assert dense.count_params() > cnn.count_params()


def test_fit_classifier_learns_and_follows_the_cosine_schedule():
    keras.utils.set_random_seed(helpers.SEED)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 4, 4, 1)).astype("float32")
    y = (x[:, :2].sum(axis=(1, 2, 3)) > 0).astype("int64")          # a linearly separable rule
    model = helpers.dense_baseline((4, 4, 1), 2, hidden=(8,))
    run = helpers.fit_classifier(model, x, y, epochs=30, batch_size=32, learning_rate=1e-2,
                                 validation_data=(x, y))
    assert set(run.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(run.history["loss"]) == 30 and run.seconds > 0
    assert run.history["loss"][-1] < run.history["loss"][0] and run.history["val_accuracy"][-1] > 0.9
    # the learning rate: alpha_0 (1 + cos(pi t / T)) / 2 with T = 30 * ceil(96 / 32) = 90 steps
    # the schedule, rebuilt from the optimizer's public config (the learning_rate property gives its current value)
    schedule = keras.optimizers.schedules.deserialize(model.optimizer.get_config()["learning_rate"])
    assert int(model.optimizer.iterations) == 90
    for t in (0, 30, 45, 89):
        expected = 1e-2 * (1 + np.cos(np.pi * t / 90)) / 2
        np.testing.assert_allclose(float(schedule(t)), expected, rtol=1e-5, atol=1e-8)
    # cross-entropy, recomputed with numpy from the trained model's probabilities
    p = model.predict(x, verbose=0)
    np.testing.assert_allclose(-np.log(p[np.arange(96), y]).mean(), run.history["val_loss"][-1], rtol=1e-4)


@pytest.mark.parametrize("notebook", [False, True], ids=["terminal", "notebook"])
@pytest.mark.parametrize("line_length", [80, 60])
def test_print_summary_is_plain_text_with_keras_counts(capsys, monkeypatch, line_length, notebook):
    """Every layer on a line of its own with its parameters as Keras counts them, the total; no colour codes
    and no HTML, also where rich (Keras' printer) believes it is in a notebook and shows HTML there."""
    import rich.console

    monkeypatch.setattr(rich.console, "_is_jupyter", lambda: notebook)
    model = helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((8, 1), (16, 1)), dense=(32,), batch_norm=True)
    helpers.print_summary(model, line_length=line_length)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "<" not in out and "[/" not in out, out[:200]
    lines = out.splitlines()
    assert max(len(line) for line in lines) == line_length
    for layer in model.layers:
        row = next(line for line in lines if line.startswith(f"│ {layer.name} "))
        assert row.rstrip(" │").endswith(f"{layer.count_params():,}"), (layer.name, row)
    assert f"Total params: {model.count_params():,} " in out
    assert f'Model: "{model.name}"' in lines[0]


def test_print_summary_of_some_layers(capsys):
    model = helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((8, 1), (16, 1)), dense=(32,))
    helpers.print_summary(model, layer_range=("block2_conv1", "fc1"))
    rows = [line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("│ ")]
    assert rows == ["block2_conv1", "block2_pool", "flatten", "fc1"]
    with pytest.raises(ValueError, match="do not match the layer names"):
        helpers.print_summary(model, layer_range=("block9_conv1", "fc1"))


@pytest.mark.parametrize("call, match", [
    (lambda: helpers.print_summary("vgg"), "model must be a keras.Model, got str"),
    (lambda: helpers.print_summary(helpers.dense_baseline((4, 4, 1), 2), line_length=100),
     "line_length must be an integer from 40 to 80"),
    (lambda: helpers.print_summary(helpers.dense_baseline((4, 4, 1), 2), line_length=8.5), "line_length must be"),
    (lambda: helpers.fit_classifier("model", np.zeros((2, 1)), np.zeros(2), 1), "model must be a keras.Model"),
    (lambda: helpers.fit_classifier(helpers.dense_baseline((1,), 2), np.zeros((2, 1)), np.zeros(3), 1),
     "x and y must hold the same"),
    (lambda: helpers.fit_classifier(helpers.dense_baseline((1,), 2), np.zeros((2, 1)), np.zeros(2), 0),
     "epochs must be a positive integer"),
    (lambda: helpers.fit_classifier(helpers.dense_baseline((1,), 2), np.zeros((2, 1)), np.zeros(2), 1,
                                    learning_rate=0), "learning_rate must be positive"),
    (lambda: helpers.vgg_block(0, 2), "filters must be a positive integer"),
    (lambda: helpers.vgg_block(16, 1.5), "convs must be a positive integer"),
    (lambda: helpers.vgg_block(16, 2, block=0), "block must be a positive integer"),
    (lambda: helpers.vgg_block(16, 2, batch_norm="yes"), "batch_norm must be True or False"),
    (lambda: helpers.vgg_style_cnn((28, 28), 10), r"input_shape must be \(n_H, n_W, n_c\)"),
    (lambda: helpers.vgg_style_cnn((28, -28, 1), 10), "input_shape must be a tuple of positive integers"),
    (lambda: helpers.vgg_style_cnn(28, 10), "input_shape must be a tuple of positive integers"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 1), "num_classes must be at least 2"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, blocks=()), "blocks must be a non-empty sequence"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((16, 2, 1),)), "blocks must be"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, blocks=5), "blocks must be a sequence"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, blocks=((8, 1),) * 5), "at least 32 pixels"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, dropout=1.0), r"dropout must be a number in \[0, 1\)"),
    (lambda: helpers.vgg_style_cnn((28, 28, 1), 10, dense=(0,)), "dense must be a tuple of positive integers"),
    (lambda: helpers.dense_baseline((28, 28, 1), 0), "num_classes must be a positive integer"),
    (lambda: helpers.dense_baseline((28, 28, 1), 10, hidden="wide"), "hidden must be a tuple of positive integers"),
    (lambda: helpers.dense_baseline((), 10), "input_shape must be a tuple"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
