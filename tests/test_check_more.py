"""helpers.check, the checkers of 01, 03, 04, 05, 07 and 08's further exercises: a right answer passes,
each typical wrong answer gets a verdict that names the mistake, nbgrader's stub says "not done yet"."""

import math

import numpy as np
import pytest
from scipy import signal

from helpers import check


def verdict(capsys, checker, fn):
    checker(fn)
    out = capsys.readouterr().out.strip()
    assert "\n" not in out and "Traceback" not in out, out
    return out


def stub(*args):
    raise NotImplementedError()


# ----------------------------------------------------------------------------- right answers

def dense(h, w, c, units):
    return h * w * c * units + units


def locate(image, pattern):
    response = signal.correlate2d(image, pattern, mode="valid")
    return np.unravel_index(np.argmax(response), response.shape)


def preferred(angles, responses):
    z = np.sum(responses * np.exp(2j * np.deg2rad(angles)))
    return np.rad2deg(np.angle(z)) / 2 % 180


def same(n, f, s):
    total = max((math.ceil(n / s) - 1) * s + f - n, 0)
    return total // 2, total - total // 2


def confusion(y_true, y_pred, k):
    m = np.zeros((k, k), dtype=int)
    np.add.at(m, (y_true, y_pred), 1)
    return m


def conv_dense(kernel, n, s):
    f = kernel.shape[0]
    m = (n - f) // s + 1
    w = np.zeros((m * m, n * n))
    for r in range(m):
        for c in range(m):
            img = np.zeros((n, n))
            img[r * s:r * s + f, c * s:c * s + f] = kernel
            w[r * m + c] = img.ravel()
    return w


RIGHT = [
    (check.dense_image_params, dense),
    (check.locate_pattern, locate),
    (check.line_kernel, lambda: np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])),
    (check.preferred_orientation, preferred),
    (check.same_padding, same),
    (check.confusion_matrix, confusion),
    (check.conv_as_dense, conv_dense),
]


@pytest.mark.parametrize(("checker", "fn"), RIGHT, ids=lambda x: getattr(x, "__name__", ""))
def test_right_answers_pass_and_the_stub_is_not_done_yet(capsys, checker, fn):
    assert verdict(capsys, checker, fn).startswith("✅"), checker.__name__
    assert "not done yet" in verdict(capsys, checker, stub)


def fancy_index_confusion(y_true, y_pred, k):
    m = np.zeros((k, k), dtype=int)
    m[y_true, y_pred] += 1          # a repeated pair is counted once
    return m


def swapped_locate(image, pattern):
    r, c = locate(image, pattern)
    return c, r


def centre_locate(image, pattern):
    r, c = locate(image, pattern)
    return r + pattern.shape[0] // 2, c + pattern.shape[1] // 2


WRONG = [
    (check.dense_image_params, lambda h, w, c, u: h * w * c * u, "biases"),
    (check.dense_image_params, lambda h, w, c, u: h * w * u + u, "channels"),
    (check.dense_image_params, lambda h, w, c, u: float(dense(h, w, c, u)), "a float where an int is due"),
    (check.locate_pattern, swapped_locate, "(col, row) swapped"),
    (check.locate_pattern, centre_locate, "centre"),
    (check.locate_pattern, lambda i, p: int(np.argmax(signal.correlate2d(i, p, "valid"))), "unravel_index"),
    (check.line_kernel, lambda: np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]), "edge detector"),
    (check.line_kernel, lambda: np.array([[-1, 2, -1]] * 3), "vertical lines"),
    (check.line_kernel, lambda: np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]]), "sum to 3"),
    (check.preferred_orientation, lambda a, r: preferred(a, r) - 180 * (preferred(a, r) > 90), "modulo 180"),
    (check.preferred_orientation, lambda a, r: a[np.argmax(r)], "argmax"),
    (check.preferred_orientation,
     lambda a, r: np.rad2deg(np.angle(np.sum(r * np.exp(1j * np.deg2rad(a))))) % 180, "exp(2iθ)"),
    (check.same_padding, lambda n, f, s: ((f - 1) // 2, (f - 1) // 2), "stride 1 only"),
    (check.same_padding, lambda n, f, s: same(n, f, s)[::-1], "goes after"),
    (check.same_padding, lambda n, f, s: sum(same(n, f, s)), "(before, after) pair"),
    (check.confusion_matrix, lambda y, p, k: confusion(y, p, k).T, "transposed"),
    (check.confusion_matrix, fancy_index_confusion, "np.add.at"),
    (check.confusion_matrix, lambda y, p, k: confusion(y, p, k) / len(y), "fractions"),
    (check.confusion_matrix, lambda y, p, k: confusion(y, p, len(np.union1d(y, p))), "use n_classes"),
    (check.conv_as_dense, lambda k, n, s: conv_dense(k, n, s).T, "transposed"),
    (check.conv_as_dense, lambda k, n, s: conv_dense(k, n, 1), "ignore the stride"),
    (check.conv_as_dense, lambda k, n, s: conv_dense(k[::-1, ::-1], n, s), "flipped"),
]


@pytest.mark.parametrize(("checker", "fn", "names"), WRONG,
                         ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(WRONG)])
def test_a_typical_wrong_answer_is_named(capsys, checker, fn, names):
    out = verdict(capsys, checker, fn)
    assert out.startswith("❌") and names in out, out


def test_the_references_agree_with_the_lecture():
    # the slide's 200 x 200 numbers, from Keras on a layer small enough to build, scaled by the formula's shape
    assert check._keras_dense_params(4, 5, 3, 7) == (4 * 5 * 3 + 1) * 7
    assert check._keras_same_pads(6, 3, 2) == (0, 1) and check._keras_same_pads(6, 3, 1) == (1, 1)
    w = check._dense_reference(np.arange(9.0).reshape(3, 3), 6, 1)
    image = np.random.default_rng(0).normal(size=(6, 6))
    due = signal.correlate2d(image, np.arange(9.0).reshape(3, 3), "valid")
    assert np.allclose((w @ image.ravel()).reshape(4, 4), due)
    assert check._preferred([0, 45, 90, 135], [0, 0, 0, 1]) == pytest.approx(135)
