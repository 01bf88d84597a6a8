"""helpers.check.nb01 (notebook 01): dense_image_params and locate_pattern accept right answers written
in other ways and give every wrong one a true sentence; their references agree with Keras and scipy."""

import math

import numpy as np
from scipy import signal

from check_cases import right_and_wrong, assert_not_done, raises_coloured
from helpers.check import nb01

# ----------------------------------------------------------------------------- dense_image_params

DENSE_RIGHT = [
    ("bias-as-one-more-input", lambda h, w, c, u: (h * w * c + 1) * u),
    ("numpy-int64", lambda h, w, c, u: np.int64(h) * w * c * u + u),
    ("math-prod", lambda h, w, c, u: math.prod([h, w, c, u]) + u),
    ("0-d-array", lambda h, w, c, u: np.array((h * w * c + 1) * u)),
    ("np-prod-int64", lambda h, w, c, u: int(np.prod([h, w, c], dtype=np.int64) * u + u)),
    ("weights-then-biases", lambda h, w, c, u: sum([h * w * c * u, u])),
]

DENSE_WRONG = [
    ("no-biases", lambda h, w, c, u: h * w * c * u,
     r"200 x 200 grayscale image into 40,000 units you return 1,600,000,000; it has 1,600,040,000.*leave out the "
     r"biases"),
    ("no-channels", lambda h, w, c, u: h * w * u + u, r"RGB image.*leave out the channels"),
    ("a-float", lambda h, w, c, u: float((h * w * c + 1) * u),
     r"right in all 8 cases, but 8 of them hold floats \(1600040000\.0 for the lecture's.*int\(\.\.\.\)"),
    ("int32-wraps", lambda h, w, c, u: int(np.int32(h * w * c + 1) * np.int32(u)),
     r"RGB image into 120,000 units you return 1,515,218,112; it has 14,400,120,000.*wrapped around.*int32"),
    ("bias-per-input", lambda h, w, c, u: h * w * c * u + h * w * c, r"not one per input"),
    ("no-return", lambda h, w, c, u: None, r"returns None"),
    ("a-string", lambda h, w, c, u: f"{(h * w * c + 1) * u:,}",
     r"you return '1,600,040,000' \(str\); a parameter count is one int"),
    ("coloured-exception", raises_coloured, r"raised ValueError: Input 0 of layer 'dense' is incompatible \("),
    ("nan", lambda h, w, c, u: math.nan, r"you return nan \(not a number\); a parameter count is a whole number"),
    ("huge", lambda h, w, c, u: 10 ** 30, r"you return 1e\+30; it has 1,600,040,000"),
    ("plus-one", lambda h, w, c, u: (h * w * c + 1) * u + 1,
     r"grayscale image into 40,000 units you return 1,600,040,001; it has 1,600,040,000: h x w x c inputs times "
     r"units weights, plus one bias per unit$"),
    ("the-lecture-only", lambda h, w, c, u: 1_600_040_000 if c == 1 else 14_400_120_000,
     r"a 28 x 28 digit into 128 units you return 1,600,040,000; it has 100,480"),
    ("complex", lambda h, w, c, u: complex((h * w * c + 1) * u), r"the complex number .*is one int"),
    ("a-generator", lambda h, w, c, u: (v for v in (h, w)), r"a generator"),
]


test_dense_image_params_right, test_dense_image_params_wrong = right_and_wrong(
    "dense_image_params", DENSE_RIGHT, DENSE_WRONG)


def test_dense_image_params_not_done(capsys):
    assert_not_done(capsys, "dense_image_params")


def test_dense_reference_is_keras():
    assert nb01.keras_dense_params(4, 5, 3, 7) == (4 * 5 * 3 + 1) * 7
    assert nb01.keras_dense_params(28, 28, 1, 128) == 100_480


# ----------------------------------------------------------------------------- locate_pattern


def by_correlation(image, pattern):
    response = signal.correlate2d(image, pattern, mode="valid")
    return np.unravel_index(response.argmax(), response.shape)


def exact_search(image, pattern):
    h, w = pattern.shape
    for r in range(image.shape[0] - h + 1):
        for c in range(image.shape[1] - w + 1):
            if np.array_equal(image[r:r + h, c:c + w], pattern):
                return [r, c]
    return None


def brightest_aligned(image, pattern):
    r, c = np.unravel_index(image.argmax(), image.shape)
    pr, pc = np.unravel_index(pattern.argmax(), pattern.shape)
    return int(r - pr), int(c - pc)


def windows_einsum(image, pattern):
    windows = np.lib.stride_tricks.sliding_window_view(image, pattern.shape)
    response = np.einsum("ijkl,kl->ij", windows, pattern)
    return np.argwhere(response == response.max())[0]


def smallest_difference(image, pattern):
    windows = np.lib.stride_tricks.sliding_window_view(image, pattern.shape)
    error = ((windows - pattern) ** 2).sum(axis=(2, 3))
    return tuple(int(v) for v in divmod(int(error.argmin()), error.shape[1]))


def shifted(dr, dc):
    def locate(image, pattern):
        r, c = by_correlation(image, pattern)
        return int(r + dr(pattern)), int(c + dc(pattern))

    return locate


def first_bright_pixel(image, pattern):
    return tuple(int(v) for v in np.argwhere(image)[0])


def peak_of(mode):
    def locate(image, pattern):
        response = signal.correlate2d(image, pattern, mode=mode)
        return tuple(int(v) for v in np.unravel_index(response.argmax(), response.shape))

    return locate


def square_search(image, pattern):
    h = pattern.shape[0]
    for r in range(image.shape[0] - h + 1):
        for c in range(image.shape[0] - h + 1):
            if np.array_equal(image[r:r + h, c:c + h], pattern):
                return r, c
    return 0, 0


def clears_the_image(image, pattern):
    place = by_correlation(image, pattern)
    image[:] = 0
    return place


LOCATE_RIGHT = [
    ("exact-search-list", exact_search),
    ("brightest-pixel-aligned-with-the-pattern's", brightest_aligned),
    ("einsum-argwhere-array", windows_einsum),
    ("smallest-squared-difference", smallest_difference),
    ("unravel-index-of-numpy-ints", by_correlation),
]

LOCATE_WRONG = [
    ("swapped", lambda image, pattern: tuple(by_correlation(image, pattern))[::-1], r"\(col, row\) swapped"),
    ("centre", shifted(lambda p: p.shape[0] // 2, lambda p: p.shape[1] // 2), r"centre of the pattern"),
    ("brightest-pixel", lambda image, pattern: np.unravel_index(image.argmax(), image.shape),
     r"5 x 5 pattern in a 28 x 28 image you return \(14, 8\); the pattern's top-left corner is at \(14, 7\): "
     r"that is the brightest pixel"),
    ("first-bright-pixel", first_bright_pixel, r"first bright pixel"),
    ("box-around-bright-pixels", lambda image, pattern: tuple(np.argwhere(image).min(axis=0)),
     r"box around the bright"),
    ("flat-index", lambda image, pattern: int(np.argmax(signal.correlate2d(image, pattern, "valid"))),
     r"one int: np.argmax gives a flat index; np.unravel_index"),
    ("full-mode", peak_of("full"), r"bottom-right corner \(mode='full'"),
    ("same-mode", peak_of("same"), r"mode='same'"),
    ("a-generator", lambda image, pattern: (int(v) for v in by_correlation(image, pattern)), r"a generator"),
    ("floats", lambda image, pattern: tuple(float(v) for v in by_correlation(image, pattern)),
     r"right in all 6 cases, but 6 of them hold floats \(\(14\.0, 7\.0\) for a 5 x 5 pattern"),
    ("changes-the-image", clears_the_image, r"changed its argument `image` in place"),
    ("one-row-low", shifted(lambda p: 1, lambda p: 0),
     r"for a 5 x 5 pattern in a 28 x 28 image you return \(15, 7\); the pattern's top-left corner is at \(14, 7\)$"),
    ("notebook-01's-place", lambda image, pattern: (17, 19),
     r"for a 5 x 5 pattern in a 28 x 28 image you return \(17, 19\); the pattern's top-left corner is at \(14, 7\)$"),
    ("square-images-only", square_search, r"for a 3 x 4 pattern in a 12 x 20 image you return \(0, 0\)"),
    ("no-return", lambda image, pattern: None, r"returns None"),
]


test_locate_pattern_right, test_locate_pattern_wrong = right_and_wrong("locate_pattern", LOCATE_RIGHT, LOCATE_WRONG)


def test_locate_pattern_not_done(capsys):
    assert_not_done(capsys, "locate_pattern")


def test_no_pattern_has_a_giveaway_pixel():
    """The shortcuts fail on the checker's own cases, each on several of them (not on one by chance)."""
    shortcuts = [lambda image, pattern: tuple(int(v) for v in np.unravel_index(image.argmax(), image.shape)),
                 first_bright_pixel, lambda image, pattern: tuple(int(v) for v in np.argwhere(image).min(axis=0))]
    for shortcut in shortcuts:
        misses = [case for case, (image, pattern) in nb01._pattern_cases()
                  if shortcut(image, pattern) != nb01.brute_force_match(image, pattern)[0]]
        assert len(misses) >= 2, misses
    for case, (image, pattern) in nb01._pattern_cases():
        assert pattern[0, 0] == 0 and pattern.max() > pattern[0, 0], f"{case}: the corner pixel gives the place away"
        assert len(nb01.brute_force_match(image, pattern)) == 1, case
        assert tuple(int(v) for v in by_correlation(image, pattern)) == nb01.brute_force_match(image, pattern)[0]
