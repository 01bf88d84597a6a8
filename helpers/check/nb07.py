"""Notebook 07, a VGG-style CNN: ``smaller_cnn`` and ``confusion_matrix``."""

import numpy as np

from ..validation import example_pair, non_negative_number, positive_int, positive_number, probability
from .verdict import SEED, Wrong, array2d, call, checker, describe, first_line, fmt, no_return, shape

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


def _wrapped(due, dtype):
    """due as an integer dtype narrower than int64 holds it (wrapped around), or None for other dtypes."""
    if dtype.kind not in "iu" or dtype.itemsize >= 8:
        return None
    return due.astype(np.int64).astype(dtype)


def _confusion_why(got, due, y_true, y_pred, k):
    """Why got is not due, when the evidence determines it; else the first differing entry."""
    if got.dtype.kind in "iu":
        wrapped = _wrapped(due, got.dtype)
        if wrapped is not None and np.array_equal(got, wrapped):
            i, j = (int(v) for v in np.argwhere(got != due)[0])
            return (f"your counts wrapped around: entry ({i}, {j}) is {got[i, j]}, but {due[i, j]} examples of class "
                    f"{i} were predicted as {j}, and {got.dtype} holds at most {np.iinfo(got.dtype).max}; use "
                    "dtype=int")
    if np.array_equal(got, due.T):
        return "it is transposed: rows are the true classes, columns the predicted ones"
    if np.array_equal(got, (due > 0).astype(int)) and due.max() > 1:
        return ("every pair (true, predicted) is counted once, however often it occurs: `cm[y_true, y_pred] += 1` "
                "does that (numpy's fancy indexing); use np.add.at(cm, (y_true, y_pred), 1) or a loop")
    if np.array_equal(got, np.roll(due, (-1, -1), axis=(0, 1))):
        return ("every count sits one row up and one column left: the labels are 0 to n_classes - 1, so example "
                "(i, j) goes to cm[i, j], not cm[i - 1, j - 1]")
    totals = {"the number of examples": due / max(len(y_true), 1),
              "each row's total": due / np.maximum(due.sum(1, keepdims=True), 1),
              "each column's total": due / np.maximum(due.sum(0, keepdims=True), 1)}
    for what, fraction in totals.items():
        if np.allclose(got, fraction):
            return f"you return fractions (the counts divided by {what}); the entries are counts"
    i, j = (int(v) for v in np.argwhere(got != due)[0])
    return (f"entry ({i}, {j}) is {fmt(got[i, j])}, it should be {due[i, j]}: the number of examples of true "
            f"class {i} predicted as {j}")


@checker("confusion_matrix", "return an n_classes x n_classes int array whose entry (i, j) counts the "
                             "examples of true class i predicted as j")
def confusion_matrix(fn):
    """fn(y_true, y_pred, n_classes) -> an (n_classes, n_classes) array of ints (any integer dtype that
    holds the counts; a list of lists of ints too), entry (i, j) = the number of examples of true class i
    predicted as class j. Reference: sklearn.metrics.confusion_matrix(y_true, y_pred,
    labels=range(n_classes)); cases with missing classes and with a count above 255."""
    from sklearn.metrics import confusion_matrix as reference

    count = 0
    for case, y_true, y_pred, k in _confusion_cases():
        count += 1
        got = array2d(call(fn, (y_true.copy(), y_pred.copy(), k), case, ("y_true", "y_pred", "n_classes")), case)
        due = reference(y_true, y_pred, labels=list(range(k)))
        if got.shape != due.shape:
            present, largest = len(np.union1d(y_true, y_pred)), int(max(y_true.max(), y_pred.max())) + 1
            hint = ": one row and one column per class, n_classes x n_classes"
            if got.shape in ((present, present), (largest, largest)):
                hint = (": one row and one column per class, also for a class that never occurs (use n_classes, not "
                        "the labels that occur)")
            raise Wrong(f"for {case} your matrix is {shape(got.shape)}, it should be {shape(due.shape)}{hint}")
        if np.array_equal(got, due):
            if got.dtype.kind not in "iu":
                raise Wrong(f"for {case} your counts are right but {got.dtype}; counts are ints (dtype=int)")
            continue
        raise Wrong(f"for {case} your matrix is wrong: {_confusion_why(got, due, y_true, y_pred, k)}")
    return f"right: all {count} cases match sklearn.metrics.confusion_matrix, missing classes included"
