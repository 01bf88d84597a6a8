"""Notebook 07, a VGG-style CNN: ``smaller_cnn`` and ``confusion_matrix``."""

import numpy as np

from ..validation import example_pair, non_negative_number, positive_int, positive_number, probability
from .verdict import SEED, Wrong, array2d, call, checker, describe, first_line, first_wrong, fmt, no_return, shape

# ----------------------------------------------------------------------------- smaller_cnn


def _smaller_cnn_arguments(baseline_params, baseline_accuracy, train, val, epochs, tolerance=0.01, *,
                           batch_size=64, learning_rate=2e-3):
    """The notebook's arguments (not the student's answer): a ValueError is the lecturer's to fix."""
    example_pair(train, "train")
    example_pair(val, "val")
    positive_int(baseline_params, "baseline_params")
    probability(baseline_accuracy, "baseline_accuracy")
    positive_int(epochs, "epochs")
    non_negative_number(tolerance, "tolerance")
    positive_int(batch_size, "batch_size")
    positive_number(learning_rate, "learning_rate")


def _failed(exc):
    return f"{type(exc).__name__}: {first_line(exc)}" if first_line(exc) else type(exc).__name__


@checker("smaller_cnn", "return an uncompiled Keras model for (28, 28, 1) images and 10 classes with "
                        "fewer parameters than the baseline (fewer or narrower layers, a pooling earlier)",
         arguments=_smaller_cnn_arguments)
def smaller_cnn(build_fn, baseline_params, baseline_accuracy, train, val, epochs, tolerance=0.01, *,
                batch_size=64, learning_rate=2e-3):
    """build_fn() -> a Keras model (Sequential, functional or subclassed; compiled or not), (28, 28, 1)
    -> 10 class probabilities. Passes when it has fewer parameters than ``baseline_params`` and, trained
    like the baseline (seeded, then helpers.fit_classifier with the same epochs, ``batch_size`` and
    ``learning_rate``), reaches a validation accuracy (argmax of its predictions on ``val`` = (x, y)) of
    at least ``baseline_accuracy - tolerance``. The passing line names no accuracy (a float that moves in
    its last digit between CPUs), so nbval can compare it."""
    import keras

    from ..config import SEED as TRAINING_SEED
    from ..models import fit_classifier

    (x_train, y_train), (x_val, y_val) = example_pair(train, "train"), example_pair(val, "val")
    keras.utils.set_random_seed(TRAINING_SEED)
    case = "build_fn()"
    model = call(build_fn, (), case)
    no_return(model, case)
    if not isinstance(model, keras.Model):
        raise Wrong(f"your function returns {describe(model)}, not a Keras model: "
                    "return keras.Sequential([keras.Input((28, 28, 1)), ...])")
    try:
        probe = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    except Exception as exc:  # the student's model
        raise Wrong(f"your model cannot take a batch of (28, 28, 1) images ({_failed(exc)}); "
                    "start it with keras.Input((28, 28, 1))") from None
    if probe.shape != (2, 10):
        raise Wrong(f"for a batch of 2 images your model gives shape {probe.shape}; it must give 10 class "
                    "probabilities per image: end with Flatten (if needed) and Dense(10, activation='softmax')")
    if not np.isfinite(probe).all():
        raise Wrong("your model's outputs hold NaN or infinity for a batch of blank images; its last layer "
                    "must give probabilities (activation='softmax')")
    if np.any(probe < 0) or not np.allclose(probe.sum(axis=1), 1, atol=1e-3):
        raise Wrong("your model's outputs are not probabilities (they do not sum to 1); its last layer must "
                    "have activation='softmax'")
    params = int(model.count_params())
    if params >= baseline_params:
        raise Wrong(f"your model has {params:,} parameters, the baseline {baseline_params:,}: it must have "
                    "fewer (narrower convolutions, a smaller dense layer, or a pooling before the Dense layer)")
    try:
        fit_classifier(model, x_train, y_train, epochs, batch_size, learning_rate)
        predicted = np.argmax(model.predict(x_val, verbose=0), axis=1)
    except Exception as exc:  # the student's model
        raise Wrong(f"training your model failed ({_failed(exc)})") from None
    accuracy = float(np.mean(predicted == y_val))
    share = f"{params:,} parameters, {params / baseline_params:.0%} of the baseline's {baseline_params:,}"
    if accuracy < baseline_accuracy - tolerance:
        raise Wrong(f"your model has {share}, but after {epochs} epoch{'s' * (epochs != 1)} it reaches "
                    f"{accuracy:.1%} validation accuracy, more than {100 * tolerance:.1f} percentage points below "
                    f"the baseline's {baseline_accuracy:.1%}: keep enough filters for the first layers, or put the "
                    "savings where the parameters are (the Dense layer after Flatten)")
    return (f"right: your model has {share}, and trained the same way for {epochs} "
            f"epoch{'s' * (epochs != 1)} it keeps the "
            f"baseline's validation accuracy (within {100 * tolerance:g} percentage points)")


# ----------------------------------------------------------------------------- confusion_matrix


def _confusion_cases():
    rng = np.random.default_rng(SEED)
    yield "three examples of 2 classes", np.array([0, 1, 1]), np.array([0, 0, 1]), 2
    y = rng.integers(0, 10, size=300)
    pred = np.where(rng.random(300) < 0.8, y, rng.integers(0, 10, size=300))
    yield "300 digits, 10 classes", y, pred, 10
    y = np.repeat([0, 1, 2, 3], [500, 300, 150, 50])     # 500 of class 0: more than a uint8 count holds
    yield ("1,000 examples, a class that never occurs (class 4 of 5)", y,
           np.where(rng.random(1000) < 0.9, y, 4), 5)
    yield "a class never predicted (class 2 of 3)", np.array([0, 1, 2, 2, 1]), np.array([0, 1, 1, 0, 1]), 3
    yield "a class that is neither true nor predicted (class 3 of 4)", np.array([0, 1, 2, 2]), np.array([0, 2, 1, 2]), 4


def _wrapped(got, due):
    """Whether got is due as a narrower integer dtype holds it (wrapped around at 256 for uint8)."""
    return (got.dtype.kind in "iu" and got.dtype.itemsize < 8 and got.shape == due.shape
            and np.array_equal(got, due.astype(np.int64).astype(got.dtype)))


def _equal(got, expected):
    return got.shape == expected.shape and np.array_equal(got, expected)


def _fraction_of(total):
    def fraction(got, due):
        return got.shape == due.shape and np.allclose(got, due / np.maximum(total(due), 1))

    return fraction


# (holds(got, due), why): named only when it holds on every case answered
CONFUSION_MISTAKES = [
    (lambda got, due: _equal(got, due.T), "it is transposed: rows are the true classes, columns the predicted ones"),
    (lambda got, due: _equal(got, (due > 0).astype(int)),
     ("every pair (true, predicted) is counted once, however often it occurs: `cm[y_true, y_pred] += 1` does that "
      "(numpy's fancy indexing); use np.add.at(cm, (y_true, y_pred), 1) or a loop")),
    (lambda got, due: _equal(got, np.roll(due, (-1, -1), axis=(0, 1))),
     ("every count sits one row up and one column left: the labels are 0 to n_classes - 1, so an example of class "
      "i predicted as j goes to cm[i, j], not cm[i - 1, j - 1]")),
    (_fraction_of(lambda due: due.sum()), "you return fractions (the counts divided by the number of examples); "
                                          "the entries are counts"),
    (_fraction_of(lambda due: due.sum(1, keepdims=True)), "you return fractions (the counts divided by each row's "
                                                          "total); the entries are counts"),
    (_fraction_of(lambda due: due.sum(0, keepdims=True)), "you return fractions (the counts divided by each column's "
                                                          "total); the entries are counts"),
]


def _read_matrix(value, case, args):
    return array2d(value, case)


@checker("confusion_matrix", "return an n_classes x n_classes int array whose entry (i, j) counts the "
                             "examples of true class i predicted as j")
def confusion_matrix(fn):
    """fn(y_true, y_pred, n_classes) -> an (n_classes, n_classes) array of ints (any integer dtype that
    holds the counts; a list of lists of ints too), entry (i, j) = the number of examples of true class i
    predicted as class j. Reference: sklearn.metrics.confusion_matrix(y_true, y_pred,
    labels=range(n_classes)); cases with missing classes and with a count above 255."""
    from sklearn.metrics import confusion_matrix as reference

    cases = [(case, (y_true, y_pred, k)) for case, y_true, y_pred, k in _confusion_cases()]
    answers, wrong = first_wrong(
        fn, cases, _read_matrix, lambda args: reference(args[0], args[1], labels=list(range(args[2]))),
        lambda got, due, args: _equal(got, due) and got.dtype.kind in "iu", names=("y_true", "y_pred", "n_classes"))
    if wrong is None:
        return f"right: all {len(answers)} cases match sklearn.metrics.confusion_matrix, missing classes included"
    case, (y_true, y_pred, k), got, due = answers[wrong]
    if got.shape != due.shape:
        present, largest = len(np.union1d(y_true, y_pred)), int(max(y_true.max(), y_pred.max())) + 1
        hint = ": one row and one column per class, n_classes x n_classes"
        if got.shape in ((present, present), (largest, largest)):
            hint = (": one row and one column per class, also for a class that never occurs (use n_classes, not "
                    "the labels that occur)")
        raise Wrong(f"for {case} your matrix is {shape(got.shape)}, it should be {shape(due.shape)}{hint}")
    if _equal(got, due):
        raise Wrong(f"for {case} your counts are right but {got.dtype}; counts are ints (dtype=int)")
    if _wrapped(got, due):
        i, j = (int(v) for v in np.argwhere(got != due)[0])
        raise Wrong(f"for {case} your counts wrapped around: entry ({i}, {j}) is {got[i, j]}, but {due[i, j]} examples "
                    f"of class {i} were predicted as {j}, and {got.dtype} holds at most {np.iinfo(got.dtype).max}; "
                    "use dtype=int")
    why = next((why for holds, why in CONFUSION_MISTAKES
                if all(holds(g, d) for _, _, g, d in answers)), None)
    if why is None:
        i, j = (int(v) for v in np.argwhere(~np.isclose(got, due, rtol=0, atol=0, equal_nan=False))[0])
        why = (f"entry ({i}, {j}) is {fmt(got[i, j])}, it should be {due[i, j]}: the number of examples of true "
               f"class {i} predicted as {j}")
    raise Wrong(f"for {case} your matrix is wrong: {why}")
