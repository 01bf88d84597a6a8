"""helpers.check.nb07 (notebook 07): smaller_cnn and confusion_matrix accept right answers written in
other ways and give every wrong one a true sentence; the notebook's bad arguments raise ValueError."""

import numpy as np
import pytest

from check_cases import assert_not_done, assert_right, assert_wrong, ids, raises_coloured, verdict
from helpers import check

# ----------------------------------------------------------------------------- smaller_cnn


@pytest.fixture(scope="module")
def tiny_digits():
    """A task a linear model learns in a few epochs: class 1 images are bright, class 0 ones dark."""
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, size=400)
    x = (0.3 * rng.random((400, 28, 28, 1)) + 0.7 * y[:, None, None, None]).astype("float32")
    return (x[:300], y[:300]), (x[300:], y[300:])


FAST = {"batch_size": 16, "learning_rate": 1e-2}     # passed on to helpers.fit_classifier
EPOCHS = 6


def dense_model(units=10, activation="softmax", shape=(28, 28, 1), scale=1.0):
    def build():
        import keras

        return keras.Sequential([keras.Input(shape), keras.layers.Rescaling(scale), keras.layers.Flatten(),
                                 keras.layers.Dense(units, activation=activation)])

    return build


def functional_model():
    import keras

    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))


def pooled_cnn():
    import keras

    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.MaxPooling2D(4), keras.layers.Conv2D(4, 3),
                             keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])


def compiled_model():
    model = dense_model()()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


def subclassed_model():
    import keras

    class Small(keras.Model):
        def __init__(self):
            super().__init__()
            self.flatten = keras.layers.Flatten()
            self.out = keras.layers.Dense(10, activation="softmax")

        def call(self, x):
            return self.out(self.flatten(x))

    return Small()


SMALLER_RIGHT = [
    ("sequential-dense", dense_model()),
    ("functional", functional_model),
    ("pooling-first", pooled_cnn),
    ("compiled", compiled_model),
    ("subclassed", subclassed_model),
]


@pytest.mark.parametrize("name, build", SMALLER_RIGHT, ids=ids(SMALLER_RIGHT))
def test_smaller_cnn_right(capsys, tiny_digits, name, build):
    train, val = tiny_digits
    line = assert_right(capsys, "smaller_cnn", build, 100_000, 0.85, train, val, EPOCHS, **FAST)
    assert "% of the baseline's 100,000" in line and "within 1 percentage points" in line


def nan_model():
    import keras

    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="softmax",
                                                bias_initializer=keras.initializers.Constant(np.nan))])


SMALLER_WRONG = [
    ("too-many-parameters", dense_model(), 100, 0.5, r"7,850 parameters, the baseline 100: it must have fewer"),
    ("does-not-learn", dense_model(scale=0.0), 100_000, 0.9, r"reaches \d+\.\d% validation accuracy, more than 1\.0 "
     r"percentage points below the baseline's 90\.0%"),
    ("no-softmax", dense_model(activation=None), 100_000, 0.5, r"not probabilities.*softmax"),
    ("five-classes", dense_model(5), 100_000, 0.5, r"shape \(2, 5\).*10 class"),
    ("colour-input", dense_model(shape=(32, 32, 3)), 100_000, 0.5,
     r"cannot take a batch of \(28, 28, 1\) images \(\w+"),
    ("not-a-model", lambda: "a model", 100_000, 0.5, r"returns 'a model' \(str\), not a Keras model"),
    ("no-return", lambda: None, 100_000, 0.5, r"returns None"),
    ("keras-error", raises_coloured, 100_000, 0.5,
     r"for build_fn\(\) your function raised ValueError: Input 0 of layer 'dense' is incompatible \(check"),
    ("nan-outputs", nan_model, 100_000, 0.5, r"outputs hold NaN or infinity"),
    ("the-layers-not-a-model", lambda: [dense_model()()], 100_000, 0.5, r"returns a list of 1 item, not a Keras model"),
]


@pytest.mark.parametrize("name, build, params, accuracy, says", SMALLER_WRONG, ids=ids(SMALLER_WRONG))
def test_smaller_cnn_wrong(capsys, tiny_digits, name, build, params, accuracy, says):
    train, val = tiny_digits
    assert_wrong(capsys, "smaller_cnn", build, says, params, accuracy, train, val, EPOCHS, **FAST)


def test_smaller_cnn_not_done(capsys, tiny_digits):
    train, val = tiny_digits
    assert_not_done(capsys, "smaller_cnn", 100_000, 0.5, train, val, EPOCHS)


@pytest.mark.parametrize("args, says", [
    ((100_000, 0.5, "train", None, 1), r"train must be an \(x, y\) pair"),
    ((100_000, 0.5, (np.zeros((0, 28, 28, 1)), np.zeros(0)), None, 1), r"train's x and y must hold the same positive"),
    ((0, 0.5, None, None, 1), r"baseline_params must be a positive integer"),
    ((100_000, 1.5, None, None, 1), r"baseline_accuracy must be a number in \[0, 1\]"),
    ((100_000, 0.5, None, None, 0), r"epochs must be a positive integer"),
    ((100_000, 0.5, None, (np.zeros((3, 28, 28, 1)), np.zeros(2)), 1), r"val's x and y must hold the same positive"),
])
def test_smaller_cnn_bad_arguments_are_the_notebook_s_bug(tiny_digits, args, says):
    params, accuracy, train, val, epochs = args
    with pytest.raises(ValueError, match=says):
        check.smaller_cnn(dense_model(), params, accuracy, tiny_digits[0] if train is None else train,
                          tiny_digits[1] if val is None else val, epochs)


# ----------------------------------------------------------------------------- confusion_matrix


def add_at(y_true, y_pred, k):
    m = np.zeros((k, k), dtype=int)
    np.add.at(m, (y_true, y_pred), 1)
    return m


def loops(y_true, y_pred, k, dtype=np.int32):
    m = np.zeros((k, k), dtype=dtype)
    for t, p in zip(y_true, y_pred):
        m[t, p] += 1
    return m


CONFUSION_RIGHT = [
    ("bincount", lambda y, p, k: np.bincount(y * k + p, minlength=k * k).reshape(k, k)),
    ("int32-loop", loops),
    ("sklearn", lambda y, p, k: __import__("sklearn.metrics").metrics.confusion_matrix(y, p, labels=range(k))),
    ("list-of-lists", lambda y, p, k: [[int(np.sum((y == i) & (p == j))) for j in range(k)] for i in range(k)]),
    ("uint16", lambda y, p, k: loops(y, p, k, np.uint16)),
    ("histogram2d-as-ints", lambda y, p, k: np.histogram2d(y, p, bins=k, range=[[0, k], [0, k]])[0].astype(int)),
]


def fancy_indexing(y_true, y_pred, k):
    m = np.zeros((k, k), dtype=int)
    m[y_true, y_pred] += 1
    return m


def one_based(y_true, y_pred, k):
    m = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        m[t - 1, p - 1] += 1
    return m


def skips_the_last(y_true, y_pred, k):
    return add_at(y_true[:-1], y_pred[:-1], k)


def sorts_in_place(y_true, y_pred, k):
    m = add_at(y_true, y_pred, k)
    y_true.sort()
    return m


CONFUSION_WRONG = [
    ("transposed", lambda y, p, k: add_at(y, p, k).T, r"transposed: rows are the true classes"),
    ("fancy-indexing", fancy_indexing, r"counted once.*np\.add\.at"),
    ("fractions", lambda y, p, k: add_at(y, p, k) / len(y),
     r"fractions \(the counts divided by the number of examples\)"),
    ("row-fractions", lambda y, p, k: add_at(y, p, k) / np.maximum(add_at(y, p, k).sum(1, keepdims=True), 1),
     r"fractions \(the counts divided by each row's total\)"),
    ("labels-that-occur", lambda y, p, k: add_at(y, p, len(np.union1d(y, p))), r"use n_classes"),
    ("uint8", lambda y, p, k: loops(y, p, k, np.uint8),
     r"1,000 examples.* wrapped around: entry \(0, 0\) is \d+, but \d+ examples .*uint8 holds at most 255"),
    ("int8", lambda y, p, k: loops(y, p, k, np.int8), r"wrapped around.*int8 holds at most 127"),
    ("1-based", one_based, r"one row up and one column left", ),
    ("floats", lambda y, p, k: add_at(y, p, k).astype(float), r"counts are right but float64; counts are ints"),
    ("bools", lambda y, p, k: add_at(y, p, k).astype(bool),
     r"three examples of 2 classes your counts are right but bool"),
    ("changes-y_true", sorts_in_place, r"changed its argument `y_true` in place"),
    ("skips-the-last-example", skips_the_last,
     r"three examples of 2 classes your matrix is wrong: entry \(1, 1\) is 0, it should be 1: the number of examples"),
    ("a-generator", lambda y, p, k: (row for row in add_at(y, p, k)), r"a generator"),
]


@pytest.mark.parametrize("name, fn", CONFUSION_RIGHT, ids=ids(CONFUSION_RIGHT))
def test_confusion_matrix_right(capsys, name, fn):
    assert_right(capsys, "confusion_matrix", fn)


@pytest.mark.parametrize("name, fn, says", CONFUSION_WRONG, ids=ids(CONFUSION_WRONG))
def test_confusion_matrix_wrong(capsys, name, fn, says):
    assert_wrong(capsys, "confusion_matrix", fn, says,
                 not_says=None if name in ("transposed", "fancy-indexing") else r"transposed|add\.at")


def test_confusion_matrix_not_done(capsys):
    assert_not_done(capsys, "confusion_matrix")


def test_a_case_holds_a_count_above_255(capsys):
    """The uint8 answer above fails because a count does not fit, not by chance."""
    from sklearn.metrics import confusion_matrix

    from helpers.check import nb07

    assert max(confusion_matrix(y, p, labels=range(k)).max() for _, y, p, k in nb07._confusion_cases()) > 255
    assert verdict(capsys, "confusion_matrix", lambda y, p, k: loops(y, p, k, np.uint8)).startswith(check.WRONG)
