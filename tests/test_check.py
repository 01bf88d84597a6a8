"""helpers.check: typical wrong answers get a verdict that names the mistake, right answers pass,
nbgrader's stub says "not done yet", and nothing ever shows a traceback. The checkers' references are
themselves checked against scipy, Keras and the lecture's numbers."""

import math
import re

import numpy as np
import pytest
from scipy import signal

from helpers import check

# ----------------------------------------------------------------------------- right answers


def correlate_loops(image, kernel):
    rows, cols = image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[1] + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            for k in range(kernel.shape[0]):
                for m in range(kernel.shape[1]):
                    out[i, j] += kernel[k, m] * image[i + k, j + m]
    return out


def diagonal_sobel():
    return np.array([[0, 1, 2], [-1, 0, 1], [-2, -1, 0]])


def osi_vector(angles, responses):
    r = np.asarray(responses, dtype=float)
    if r.sum() == 0:
        return 0.0
    return abs(np.sum(r * np.exp(2j * np.deg2rad(angles)))) / r.sum()


def output_size_formula(n, f, p=0, s=1):
    return (n + 2 * p - f) // s + 1


def max_pool_loops(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = x[i * size:(i + 1) * size, j * size:(j + 1) * size].max()
    return out


def field_recursion(layers):
    r, jump = 1, 1
    for f, s in layers:
        r += (f - 1) * jump
        jump *= s
    return r


def block_params(c_in, c_out, n_convs, f=3):
    return (f * f * c_in + 1) * c_out + (n_convs - 1) * (f * f * c_out + 1) * c_out


RIGHT = {
    "correlate2d": correlate_loops,
    "diagonal_kernel": diagonal_sobel,
    "orientation_selectivity": osi_vector,
    "output_size": output_size_formula,
    "max_pool": max_pool_loops,
    "receptive_field": field_recursion,
    "vgg_block_params": block_params,
}

# ----------------------------------------------------------------------------- wrong answers


def correlate_flipped(image, kernel):
    return correlate_loops(image, kernel[::-1, ::-1])          # convolution


def correlate_off_by_one(image, kernel):
    return correlate_loops(image, kernel)[:-1, :-1]            # range(n - f)


def correlate_too_far(image, kernel):
    out = np.zeros((image.shape[0] - kernel.shape[0] + 2, image.shape[1] - kernel.shape[1] + 2))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel).sum()  # broadcast fails
    return out


def correlate_int_output(image, kernel):
    return correlate_loops(image, kernel).astype(int)           # np.zeros(..., dtype=int)


def correlate_same_padding(image, kernel):
    return signal.correlate2d(image, kernel, mode="same")


def correlate_transposed(image, kernel):
    return correlate_loops(image, kernel).T


def correlate_kernel_transposed(image, kernel):
    return correlate_loops(image, kernel.T) if kernel.shape[0] == kernel.shape[1] else correlate_loops(image, kernel)


def correlate_in_place(image, kernel):
    out = correlate_loops(image, kernel)
    image[:] = 0
    return out


def correlate_a11_wrong(image, kernel):
    out = correlate_loops(image, kernel)
    out[0, 0] += 1
    return out


def not_done(*args):
    raise NotImplementedError()


def horizontal_sobel():
    return np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])


def osi_with_nan(angles, responses):
    r = np.asarray(responses, dtype=float)
    return abs(np.sum(r * np.exp(2j * np.deg2rad(angles)))) / r.sum()


def osi_peak_vs_orthogonal(angles, responses):
    peak = int(np.argmax(responses))
    orth = int(np.argmin(np.abs((np.asarray(angles) - angles[peak]) % 180 - 90)))
    total = responses[peak] + responses[orth]
    return (responses[peak] - responses[orth]) / total if total else 0.0


def pool_overlapping(x, size):
    rows, cols = x.shape[0] - size + 1, x.shape[1] - size + 1
    return np.array([[x[i:i + size, j:j + size].max() for j in range(cols)] for i in range(rows)])


def pool_from_zero(x, size):
    out = np.zeros((x.shape[0] // size, x.shape[1] // size))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            best = 0
            for v in x[i * size:(i + 1) * size, j * size:(j + 1) * size].ravel():
                best = max(best, v)
            out[i, j] = best
    return out


def pool_with_partial_windows(x, size):
    rows, cols = -(-x.shape[0] // size), -(-x.shape[1] // size)
    return np.array([[x[i * size:(i + 1) * size, j * size:(j + 1) * size].max() for j in range(cols)]
                     for i in range(rows)])


def pool_mean(x, size):
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return x[:rows * size, :cols * size].reshape(rows, size, cols, size).mean(axis=(1, 3))


def field_with_own_stride(layers):
    r, jump = 1, 1
    for f, s in layers:
        jump *= s
        r += (f - 1) * jump                                    # the last layer's jump
    return r


def field_reversed(layers):
    return field_recursion(layers[::-1])


def raises_type_error(*args):
    return args[0] + "pixels"


def prints_and_returns_nothing(*args):
    print("debugging", len(args), "arguments")


# (checker, the wrong answer, what the verdict must say: a regular expression, case-insensitive)
WRONG = [
    # 02 cross-correlation
    ("correlate2d", correlate_flipped, r"convolution.*flipped.*cross-correlation"),
    ("correlate2d", correlate_off_by_one, r"off by one.*n - f \+ 1"),
    ("correlate2d", correlate_too_far, r"raised ValueError.*shapes|one position too many"),
    ("correlate2d", correlate_int_output, r"integer array.*dtype=float"),
    ("correlate2d", correlate_same_padding, r"'same' padding.*valid"),
    ("correlate2d", correlate_transposed, r"transposed"),
    ("correlate2d", correlate_kernel_transposed, r"kernel\[l, k\].*transposed"),
    ("correlate2d", correlate_in_place, r"changed the image"),
    ("correlate2d", correlate_a11_wrong, r"output\[0, 0\] \(the slide's a'11\) is -4.*-5"),
    ("correlate2d", lambda image, kernel: correlate_loops(image, kernel).tolist()[0], r"1 dimension"),
    ("correlate2d", lambda image, kernel: "done", r"not a 2-D array"),
    # 03 diagonal kernel
    ("diagonal_kernel", horizontal_sobel, r"finds horizontal edges best"),
    ("diagonal_kernel", lambda: np.eye(3), r"sum to 3.*flat"),
    ("diagonal_kernel", lambda: np.zeros((3, 3)), r"all zeros"),
    ("diagonal_kernel", lambda: np.array([[1, 0], [0, -1]]), r"2 x 2; a 3 x 3 kernel"),
    ("diagonal_kernel", lambda: np.array([[0, 1, np.nan], [-1, 0, 1], [-2, -1, 0]]), r"nan"),
    # 04 orientation selectivity
    ("orientation_selectivity", lambda a, r: abs(np.sum(r * np.exp(1j * np.deg2rad(a)))) / r.sum(),
     r"doubled angle"),
    ("orientation_selectivity", lambda a, r: abs(np.sum(r * np.exp(2j * np.asarray(a)))) / r.sum(),
     r"radians.*deg2rad"),
    ("orientation_selectivity", lambda a, r: abs(np.sum(r * np.exp(2j * np.deg2rad(a)))), r"sum of the responses"),
    ("orientation_selectivity", lambda a, r: 1 - osi_vector(a, r), r"circular variance"),
    ("orientation_selectivity", lambda a, r: np.sum(r * np.exp(2j * np.deg2rad(a))) / r.sum(),
     r"complex number.*abs\(z\)"),
    ("orientation_selectivity", osi_peak_vs_orthogonal, r"peak-versus-orthogonal"),
    ("orientation_selectivity", osi_with_nan, r"never answers.*nan.*OSI 0"),
    ("orientation_selectivity", lambda a, r: (osi_vector(a, r), 0.0), r"preferred orientation"),
    ("orientation_selectivity", lambda a, r: np.full(len(r), osi_vector(a, r)), r"one number"),
    # 05 output size
    ("output_size", lambda n, f, p=0, s=1: (n + 2 * p - f) // s,
     r"n = 6, f = 3, p = 0, s = 1 you return 3; a 3 x 3 filter fits n - f \+ 1 = 6 - 3 \+ 1 = 4 times.*add 1"),
    ("output_size", lambda n, f, p=0, s=1: (n + 2 * p - f) // s + 2, r"you return 5;.*4 times"),
    ("output_size", lambda n, f, p=0, s=1: (n + p - f) // s + 1, r"p = 1.*one side only.*n \+ 2p"),
    ("output_size", lambda n, f, p=0, s=1: (n - f) // s + 1, r"p = 1.*leave out the padding"),
    ("output_size", lambda n, f, p=0, s=1: (n + 2 * p - f) / s + 1, r"a float where an int is due.*//"),
    ("output_size", lambda n, f, p=0, s=1: n + 2 * p - f + 1, r"s = 2.*leave out the stride"),
    ("output_size", lambda n, f, p=0, s=1: math.ceil((n + 2 * p - f) / s) + 1, r"round up.*round down"),
    ("output_size", lambda n, f, p=0, s=1: (n + 2 * p - f + 1) // s, r"divide only n \+ 2p - f by s"),
    ("output_size", lambda n, f, p=0, s=1: str((n + 2 * p - f) // s + 1), r"'4' \(str\).*int"),
    ("output_size", lambda n, f, p=0, s=1: None, r"returns None.*return"),
    ("output_size", lambda n, f: n - f + 1, r"raised TypeError.*arguments"),
    # 06 max-pooling
    ("max_pool", pool_overlapping, r"overlap.*stride = size"),
    ("max_pool", pool_from_zero, r"all-negative.*starts at 0"),
    ("max_pool", pool_with_partial_windows, r"leftover edge.*dropped"),
    ("max_pool", pool_mean, r"mean.*average pooling"),
    ("max_pool", lambda x, size: max_pool_loops(x, size).T, r"transposed"),
    ("max_pool", lambda x, size: max_pool_loops(x, 2), r"size 3.*always use a 2 x 2 window"),
    ("max_pool", lambda x, size: pool_mean(x, size) * size * size, r"add up"),
    # 06 receptive field
    ("receptive_field", field_with_own_stride, r"8 x 8.*jump after the layer"),
    ("receptive_field", lambda layers: 1 + sum(f - 1 for f, _ in layers), r"ignoring the jump"),
    ("receptive_field", lambda layers: field_recursion(layers) - 1, r"off by one.*r = 1"),
    ("receptive_field", field_reversed, r"wrong order"),
    ("receptive_field", lambda layers: math.prod(f for f, _ in layers), r"multiply the filter sizes"),
    ("receptive_field", lambda layers: float(field_recursion(layers)), r"a float where an int is due"),
    # 08 VGG block
    ("vgg_block_params", lambda c_in, c_out, n, f=3: n * (f * f * c_in + 1) * c_out,
     r"only the first convolution sees c_in"),
    ("vgg_block_params", lambda c_in, c_out, n, f=3: block_params(c_in, c_out, n, f) - n * c_out, r"biases"),
    ("vgg_block_params", lambda c_in, c_out, n, f=3: (f * f * c_in + 1) * c_out, r"one convolution"),
    ("vgg_block_params", lambda c_in, c_out, n, f=3: block_params(c_in, c_out, n), r"f = 5.*always use 3 x 3"),
    ("vgg_block_params", lambda c_in, c_out, n: block_params(c_in, c_out, n), r"f = 5.*raised TypeError"),
    ("vgg_block_params", lambda c_in, c_out, n, f=3: n * (f * f + 1) * c_out, r"EACH input channel"),
    ("vgg_block_params", lambda c_in, c_out, n, f=3: float(block_params(c_in, c_out, n, f)), r"float.*int"),
    # any checker: the student's code raises, prints, returns nothing, or the result is passed
    ("output_size", raises_type_error, r"raised TypeError"),
    ("max_pool", prints_and_returns_nothing, r"returns None"),
    ("receptive_field", 5, r"pass the function itself"),
]


def verdict(capsys, name, fn, *args, **kwargs):
    result = getattr(check, name)(fn, *args, **kwargs)
    out = capsys.readouterr()
    assert result is None, f"check.{name} returned {result!r}; it prints its verdict"
    lines = [line for line in out.out.splitlines() if line.strip() and not line.startswith("debugging")]
    assert len(lines) == 1, f"check.{name} printed {len(lines)} lines, one verdict is due: {out.out!r}"
    assert "Traceback" not in out.out + out.err
    return lines[0]


def test_wrong_answers_are_many():
    """The closing note counts them: every checker but smaller_cnn (below) gets several."""
    per_checker = {name: sum(1 for n, *_ in WRONG if n == name) for name in RIGHT}
    assert min(per_checker.values()) >= 5, per_checker
    print(f"{len(WRONG)} wrong answers (+ {len(SMALLER_CNN_WRONG)} for smaller_cnn)")


@pytest.mark.parametrize("name, fn, says", WRONG, ids=[f"{n}-{i}" for i, (n, *_) in enumerate(WRONG)])
def test_a_wrong_answer_gets_a_verdict_that_names_the_mistake(capsys, name, fn, says):
    line = verdict(capsys, name, fn)
    assert line.startswith(f"{check.WRONG} {name}: "), line
    assert "not done yet" not in line
    assert re.search(says, line, re.IGNORECASE | re.DOTALL), f"the verdict does not name the mistake ({says!r}): {line}"


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_right_answer_passes(capsys, name):
    line = verdict(capsys, name, RIGHT[name])
    assert line.startswith(f"{check.DONE} {name}: right"), line


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_the_stub_is_not_done_yet(capsys, name):
    line = verdict(capsys, name, not_done)
    assert line.startswith(f"{check.TODO} {name}: not done yet: "), line
    assert len(line) > len(f"{check.TODO} {name}: not done yet: ") + 20, "say what to write"


def test_the_verdicts_are_the_same_every_run(capsys):
    """nbval compares the committed output: random cases come from a fixed seed."""
    first = [verdict(capsys, name, fn) for name, fn in RIGHT.items()]
    assert first == [verdict(capsys, name, fn) for name, fn in RIGHT.items()]


def test_the_lecture_example_comes_first(capsys):
    line = verdict(capsys, "output_size", lambda n, f, p=0, s=1: n - f)
    assert "for n = 6, f = 3, p = 0, s = 1 you return 3; a 3 x 3 filter fits n - f + 1 = 6 - 3 + 1 = 4 times" in line
    line = verdict(capsys, "correlate2d", lambda image, kernel: correlate_loops(image, kernel) + 1)
    assert "the slide's 6 x 6 image" in line and "a'11" in line


def test_a_tuple_of_osi_and_preferred_angle_is_accepted(capsys):
    def both(angles, responses):
        r = np.asarray(responses, dtype=float)
        z = np.sum(r * np.exp(2j * np.deg2rad(angles)))
        return (abs(z) / r.sum(), np.rad2deg(np.angle(z)) / 2 % 180) if r.sum() else (0.0, float("nan"))

    assert verdict(capsys, "orientation_selectivity", both).startswith(check.DONE)


# ----------------------------------------------------------------------------- the references


def test_output_size_reference_is_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    for _ in range(12):
        n, p, s = int(rng.integers(3, 20)), int(rng.integers(0, 3)), int(rng.integers(1, 4))
        f = int(rng.integers(1, n + 1))
        x = keras.layers.ZeroPadding2D(p)(np.zeros((1, n, n, 1), "float32"))
        shape = keras.layers.Conv2D(1, f, strides=s)(x).shape
        assert check._positions(n, f, p, s) == shape[1] == shape[2], (n, f, p, s)
    assert check._positions(6, 3, 0, 1) == 4 and check._positions(224, 3, 1, 1) == 224


def test_pool_reference_is_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(2)
    for size in (1, 2, 3):
        x = rng.normal(size=(7, 8)).astype("float32")
        by_keras = keras.layers.MaxPooling2D(size)(x[None, :, :, None]).numpy()[0, :, :, 0]
        assert np.array_equal(check._pool_reference(x, size), by_keras)


def test_field_reference_measures_the_lecture_numbers():
    assert check._measured_field([(3, 1), (3, 1)]) == 5
    assert check._measured_field([(3, 1)] * 3) == 7
    assert check._measured_field(check._VGG16) == 212           # the slide's VGG16 field
    assert check._measured_field([(3, 1), (2, 2), (3, 1)]) == 8


def test_block_reference_is_the_vgg16_count():
    # VGG16's 13 convolutions: 14,714,688 parameters (Keras' VGG16 without its dense top)
    blocks = [(3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3), (512, 512, 3)]
    assert sum(check._keras_block_params(*b, 3) for b in blocks) == 14_714_688


def test_osi_reference_is_the_helpers_vector_method():
    import helpers

    rng = np.random.default_rng(3)
    for k in (6, 12, 18):
        angles = np.arange(k) * 180.0 / k
        responses = rng.gamma(1.0, 1.0, size=k)
        assert math.isclose(check._osi(angles, responses), helpers.orientation_selectivity(angles, responses)[0])


def test_edges_face_the_way_they_are_named():
    # a vertical Sobel kernel answers the vertical edge most, a horizontal one the horizontal edge
    vertical = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    strength = {a: np.abs(signal.correlate2d(check._edge_image(a), vertical, "valid")).max() for a in (0, 45, 90, 135)}
    assert max(strength, key=strength.get) == 90 and strength[0] == 0
    strength = {a: np.abs(signal.correlate2d(check._edge_image(a), vertical.T, "valid")).max()
                for a in (0, 45, 90, 135)}
    assert max(strength, key=strength.get) == 0 and strength[90] == 0


# ----------------------------------------------------------------------------- 07 smaller_cnn


@pytest.fixture(scope="module")
def tiny_digits():
    """A task a linear model learns in a few epochs: class 1 images are bright, class 0 ones dark."""
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, size=400)
    x = (0.3 * rng.random((400, 28, 28, 1)) + 0.7 * y[:, None, None, None]).astype("float32")
    return (x[:300], y[:300]), (x[300:], y[300:])


FAST = {"batch_size": 16, "learning_rate": 1e-2}     # passed on to helpers.fit_classifier
EPOCHS = 6


def small_model():
    import keras

    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="softmax")])


def _dense(units, activation="softmax", shape=(28, 28, 1)):
    def build():
        import keras

        return keras.Sequential([keras.Input(shape), keras.layers.Flatten(),
                                 keras.layers.Dense(units, activation=activation)])

    return build


SMALLER_CNN_WRONG = [
    (small_model, 100, 0.5, r"7,850 parameters, the baseline 100: it must have fewer"),
    (small_model, 100_000, 1.0, r"percentage points below the baseline's 100.0%"),
    (_dense(10, activation=None), 100_000, 0.5, r"not probabilities.*softmax"),
    (_dense(5), 100_000, 0.5, r"shape \(2, 5\).*10 class"),
    (_dense(10, shape=(32, 32, 3)), 100_000, 0.5, r"cannot take a batch of \(28, 28, 1\)"),
    (lambda: "a model", 100_000, 0.5, r"not a Keras model"),
    (lambda: None, 100_000, 0.5, r"returns None"),
]


@pytest.mark.parametrize("build, params, accuracy, says", SMALLER_CNN_WRONG)
def test_smaller_cnn_wrong(capsys, tiny_digits, build, params, accuracy, says):
    train, val = tiny_digits
    line = verdict(capsys, "smaller_cnn", build, params, accuracy, train, val, EPOCHS, **FAST)
    assert line.startswith(f"{check.WRONG} smaller_cnn: ") and re.search(says, line, re.DOTALL), line


def test_smaller_cnn_right_and_not_done(capsys, tiny_digits):
    train, val = tiny_digits
    line = verdict(capsys, "smaller_cnn", small_model, 100_000, 0.85, train, val, EPOCHS, **FAST)
    assert line.startswith(f"{check.DONE} smaller_cnn: right: your model has 7,850 parameters, 8% of"), line
    assert "within 1 percentage points" in line
    line = verdict(capsys, "smaller_cnn", not_done, 100_000, 0.5, train, val, EPOCHS)
    assert line.startswith(f"{check.TODO} smaller_cnn: not done yet"), line


def test_smaller_cnn_bad_arguments_are_the_notebook_s_bug(tiny_digits):
    train, val = tiny_digits
    with pytest.raises(ValueError, match="train must be an"):
        check.smaller_cnn(small_model, 100_000, 0.5, train[0], val, 1)
    with pytest.raises(ValueError, match="epochs"):
        check.smaller_cnn(small_model, 100_000, 0.5, train, val, 0)
