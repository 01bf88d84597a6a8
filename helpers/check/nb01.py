"""Notebook 01, dense networks on images: ``dense_image_params`` and ``locate_pattern``."""

import numpy as np

from .verdict import SEED, Wrong, checker, count, exact_answers, int_pair, integer, no_return, said

# ----------------------------------------------------------------------------- dense_image_params


def keras_dense_params(h, w, c, units):
    """Independent reference: Keras builds Flatten + Dense(units) on an (h, w, c) image and counts."""
    import keras

    model = keras.Sequential([keras.Input((h, w, c)), keras.layers.Flatten(), keras.layers.Dense(units)])
    return int(model.count_params())


def _wrap32(x):
    """x as numpy's int32 holds it: wrapped around modulo 2**32 into [-2**31, 2**31)."""
    return (x + 2 ** 31) % 2 ** 32 - 2 ** 31


DENSE_MISTAKES = [
    (lambda h, w, c, u: h * w * c * u, "you leave out the biases: each of the units has one bias"),
    (lambda h, w, c, u: h * w * u + u, "you leave out the channels: every pixel has c numbers (c = 3 for RGB)"),
    (lambda h, w, c, u: 2 * h * w * c * u, "one bias per unit, not one per weight"),
    (lambda h, w, c, u: (h * w * c + 1) * u + u, "one bias per unit, counted once"),
    (lambda h, w, c, u: h * w * c + u, "every input is connected to every unit: multiply inputs by units"),
    (lambda h, w, c, u: h * w * c * u + h * w * c, "one bias per unit (units of them), not one per input"),
    (lambda h, w, c, u: (h + w + c) * u + u, "the image has h x w x c numbers: multiply the sides, do not add them"),
    (lambda h, w, c, u: _wrap32((h * w * c + 1) * u),
     ("your count wrapped around: numpy's int32 holds at most 2,147,483,647; compute with Python ints "
      "(int(...)) or np.int64")),
]


def _dense_cases():
    cases = [("the lecture's 200 x 200 grayscale image into 40,000 units", (200, 200, 1, 40_000)),
             ("the lecture's 200 x 200 RGB image into 120,000 units", (200, 200, 3, 120_000)),
             ("a 28 x 28 digit into 128 units", (28, 28, 1, 128))]
    rng = np.random.default_rng(SEED)
    for _ in range(5):
        h, w, c, u = (int(v) for v in (rng.integers(1, 33), rng.integers(1, 33), rng.integers(1, 4),
                                       rng.integers(1, 65)))
        cases.append((f"a {h} x {w} x {c} image into {u} units", (h, w, c, u)))
    return cases


def _dense_due(args):
    h, w, c, u = args
    if h * w * c * u > 10 ** 7:          # the lecture's layers: 6.4 GB of weights, too big to build
        return (h * w * c + 1) * u
    return keras_dense_params(h, w, c, u)


@checker("dense_image_params", "return the number of weights and biases of one Dense(units) layer on "
                               "the flattened height x width x channels image")
def dense_image_params(fn):
    """fn(height, width, channels, units) -> int, the parameters of Dense(units) on the flattened image
    (one weight per input and unit, one bias per unit). Reference: Keras' count_params() of Flatten +
    Dense on small images; the lecture's 200 x 200 cases (too big to build: 6.4 GB) by exact integers
    with the bias as one more input, (h w c + 1) x units."""
    def explain(case, args, got, due, hint):
        return (f"for {case} you return {count(got)}; it has {count(due)}: h x w x c inputs times units weights, "
                "plus one bias per unit" + (f" ({hint})" if hint else ""))

    answers = exact_answers(fn, _dense_cases(), lambda v, case, args: integer(v, case, "a parameter count"),
                            _dense_due, DENSE_MISTAKES, explain, "a parameter count", "a number of weights")
    return ("right: 1,600,040,000 parameters for the lecture's grayscale 200 x 200 image, "
            f"14,400,120,000 in colour, and {len(answers) - 2} more layers agree with Keras' count_params()")


# ----------------------------------------------------------------------------- locate_pattern


def brute_force_match(image, pattern):
    """Independent reference: every place where the image equals the pattern exactly."""
    h, w = pattern.shape
    return [(r, c) for r in range(image.shape[0] - h + 1) for c in range(image.shape[1] - w + 1)
            if np.array_equal(image[r:r + h, c:c + w], pattern)]


# Patterns with no giveaway pixel: the top-left pixel is dark, the brightest pixel is elsewhere, the first
# bright pixel (row by row) is not the corner, and two have an empty first column or row, so that neither
# the brightest pixel, nor the first bright one, nor the box around the bright pixels finds the corner.
_PATTERNS = [
    [[0, 1, 1, 1, 0], [1, 0, 0, 0, 1], [1, 0.5, 0.5, 0, 1], [1, 0, 0, 0, 1], [0, 1, 1, 1, 0]],
    [[0, 0.5, 0, 0, 1], [0, 1, 0, 1, 0], [0, 0.5, 1, 0, 0], [0, 1, 0, 1, 0], [1, 0, 0, 0, 1]],
    [[0, 0.5, 1, 0.5], [0, 1, 0, 1], [0, 0.5, 1, 0.5]],
    [[0, 0, 0], [0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]],
    [[0, 1], [0.5, 0]],
    [[0], [1], [0.5]],
]
_PLACES = [(28, 28, "middle"), (28, 28, "bottom-right"), (12, 20, "random"), (20, 12, "random"), (9, 9, "top-right"),
           (15, 15, "random")]


def _pattern_cases():
    rng = np.random.default_rng(SEED)
    cases = []
    for pattern, (rows, cols, where) in zip(_PATTERNS, _PLACES):
        pattern = np.array(pattern, dtype=float)
        h, w = pattern.shape
        fixed = {"middle": ((rows - h) // 2 + 3, (cols - w) // 2 - 4), "bottom-right": (rows - h, cols - w),
                 "top-right": (0, cols - w)}
        r, c = fixed.get(where) or (int(rng.integers(1, rows - h)), int(rng.integers(1, cols - w)))
        image = np.zeros((rows, cols))
        image[r:r + h, c:c + w] = pattern
        cases.append((f"a {h} x {w} pattern in a {rows} x {cols} image", (image, pattern)))
    return cases


def _peak(mode):
    def where(image, pattern):
        from scipy import signal

        response = signal.correlate2d(image, pattern, mode=mode)
        return tuple(int(v) for v in np.unravel_index(response.argmax(), response.shape))

    return where


def _at(due, dr, dc):
    return lambda image, pattern: (due(image, pattern)[0] + dr(pattern), due(image, pattern)[1] + dc(pattern))


def _due(image, pattern):
    return brute_force_match(image, pattern)[0]


PATTERN_MISTAKES = [
    (lambda image, pattern: _due(image, pattern)[::-1],
     "(col, row) swapped: the first number is the row (down), the second the column (across)"),
    (_at(_due, lambda p: p.shape[0] // 2, lambda p: p.shape[1] // 2),
     "that is the centre of the pattern; the exercise asks for its top-left corner"),
    (_peak("same"),
     "that is the peak of mode='same', which puts each window's centre at the output pixel; with mode='valid' "
     "the peak is at the top-left corner"),
    (_at(_due, lambda p: p.shape[0] - 1, lambda p: p.shape[1] - 1),
     "that is the pattern's bottom-right corner (mode='full' puts the peak there): the top-left is due"),
    (lambda image, pattern: tuple(int(v) for v in np.unravel_index(image.argmax(), image.shape)),
     "that is the brightest pixel of the image, which need not be the pattern's corner: slide the pattern "
     "over the image and take the place where it answers most"),
    (lambda image, pattern: tuple(int(v) for v in np.argwhere(image)[0]),
     "that is the first bright pixel of the image, row by row; the pattern's top-left pixel can be dark: "
     "slide the pattern over the image and take the place where it answers most"),
    (lambda image, pattern: tuple(int(v) for v in np.argwhere(image).min(axis=0)),
     "that is the corner of the box around the bright pixels; the pattern's first row or column can be "
     "dark: slide the pattern over the image and take the place where it answers most"),
]


def _read_place(value, case, args):
    no_return(value, case)
    image, pattern = args
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        (r, c), w = _due(image, pattern), pattern.shape[1]
        if int(value) in (r * (image.shape[1] - w + 1) + c, r * image.shape[1] + c):
            raise Wrong(f"for {case} you return {int(value)}, one int: np.argmax gives a flat index; "
                        "np.unravel_index(index, shape) turns it into (row, col)")
    return int_pair(value, case, "(row, col)", "a row or a column")


@checker("locate_pattern", "slide the pattern over the image (the valid cross-correlation) and return "
                           "(row, col) of the top-left corner where it answers most")
def locate_pattern(fn):
    """fn(image, pattern) -> (row, col), the top-left corner of the one place where the pattern sits in
    an otherwise zero image: a tuple, a list or an array of two ints. The patterns have no giveaway
    pixel (see _PATTERNS); images and patterns are not all square, and one pattern touches the bottom
    right. Reference: an exact brute-force comparison at every position."""
    def explain(case, args, got, due, hint):
        return (f"for {case} you return ({said(got[0])}, {said(got[1])}); the pattern's top-left corner is at "
                f"{due}" + (f": {hint}" if hint else ""))

    answers = exact_answers(fn, _pattern_cases(), _read_place, lambda args: _due(*args), PATTERN_MISTAKES, explain,
                            "a row or a column", "an index into the image", names=("image", "pattern"))
    return (f"right: the pattern was found at its exact place in all {len(answers)} images "
            "(checked against an exact comparison at every position)")

