"""helpers.check.nb03 (notebook 03): diagonal_kernel and line_kernel test orientation as orientation, at
any scale, and give every wrong kernel a true sentence."""

import numpy as np
import pytest
from scipy import signal

from check_cases import right_and_wrong, assert_not_done, assert_right, assert_wrong, ids
from helpers.check import nb03

DIAGONAL = np.array([[0, 1, 2], [-1, 0, 1], [-2, -1, 0]])
SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
LAPLACIAN = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])

DIAGONAL_RIGHT = [
    ("the-other-diagonal", lambda: np.array([[2, 1, 0], [1, 0, -1], [0, -1, -2]])),
    ("negated", lambda: -DIAGONAL),
    ("list-of-float-lists", lambda: [[0.0, 0.5, 1.0], [-0.5, 0.0, 0.5], [-1.0, -0.5, 0.0]]),
    ("times-1e-10", lambda: DIAGONAL * 1e-10),
    ("float32", lambda: DIAGONAL.astype(np.float32)),
    ("ones-and-zeros", lambda: np.array([[0, 1, 1], [-1, 0, 1], [-1, -1, 0]])),
    ("tuple-of-tuples", lambda: ((1, 1, 0), (1, 0, -1), (0, -1, -1))),
]

DIAGONAL_WRONG = [
    ("laplacian", lambda: LAPLACIAN,
     r"a 90° rotation leaves your kernel unchanged \(up to its sign\), so it answers the 45° and the 135° edge alike"),
    ("sobel-x", lambda: SOBEL_X, r"answers a vertical edge \S+ and a \S+ \S+ edge \S+: it finds vertical edges best"),
    ("sobel-y", lambda: SOBEL_X.T, r"it finds horizontal edges best"),
    ("sobel-x-times-1e-10", lambda: SOBEL_X * 1e-10, r"answers a vertical edge 4e-10 .*finds vertical edges best"),
    ("identity", lambda: np.eye(3), r"your weights sum to 3, so a flat bright area"),
    ("zeros", lambda: np.zeros((3, 3)), r"all zeros: it answers nothing"),
    ("2-by-2", lambda: np.array([[1, 0], [0, -1]]), r"your kernel is 2 x 2; a 3 x 3 kernel is due"),
    ("nan", lambda: np.array([[0, 1, np.nan], [-1, 0, 1], [-2, -1, 0]]), r"holds NaN or infinity"),
    ("both-diagonals", lambda: np.array([[1, 0, -1], [0, 0, 0], [-1, 0, 1]]),
     r"a 90° rotation leaves your kernel unchanged"),
    ("complex", lambda: DIAGONAL * 1j, r"is complex \(complex128\)"),
    ("one-row", lambda: [0, 1, 2, -1, 0, 1, -2, -1, 0], r"1 dimension, shape \(9,\)"),
    ("no-return", lambda: None, r"for <lambda>\(\) your function returns None"),
    ("weakly-diagonal", lambda: DIAGONAL + 0.4 * SOBEL_X.T,
     r"your kernel answers a 135° \(\\\) edge \d+(\.\d+)? and a horizontal edge \d+(\.\d+)?: not clearly \(1\.2 x\)"),
]


test_diagonal_kernel_right, test_diagonal_kernel_wrong = right_and_wrong(
    "diagonal_kernel", DIAGONAL_RIGHT, DIAGONAL_WRONG)


def test_diagonal_kernel_not_done(capsys):
    assert_not_done(capsys, "diagonal_kernel")


def test_edges_face_the_way_they_are_named():
    strength = {a: np.abs(signal.correlate2d(nb03.edge_image(a), SOBEL_X, "valid")).max() for a in (0, 45, 90, 135)}
    assert max(strength, key=strength.get) == 90 and strength[0] == 0
    strength = {a: np.abs(signal.correlate2d(nb03.edge_image(a), SOBEL_X.T, "valid")).max() for a in (0, 45, 90, 135)}
    assert max(strength, key=strength.get) == 0 and strength[90] == 0
    assert np.array_equal(np.rot90(nb03.edge_image(45)), nb03.edge_image(135))     # a rotation: the other diagonal


# ----------------------------------------------------------------------------- line_kernel

LINE = np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])

LINE_RIGHT = [
    ("weighted-centre", lambda: np.array([[-1, -2, -1], [2, 4, 2], [-1, -2, -1]])),
    ("a-dark-line-detector", lambda: -LINE),
    ("one-column", lambda: np.array([[0, -1, 0], [0, 2, 0], [0, -1, 0]])),
    ("float32-list-scaled", lambda: (LINE * 0.001).astype(np.float32).tolist()),
    ("tuple-of-tuples", lambda: ((-1, -1, -1), (2, 2, 2), (-1, -1, -1))),
    ("times-1e-8", lambda: LINE * 1e-8),
]

LINE_WRONG = [
    ("sobel-y", lambda: SOBEL_X.T,
     r"answers a horizontal step edge 4 and a thin line 4, not clearly \(1\.2 x\) less: it is an edge detector"),
    ("transposed", lambda: LINE.T,
     r"finds vertical lines \(it answers a vertical line 6, a horizontal one 0\); its transpose would find"),
    ("positive-row-only", lambda: np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]]), r"your weights sum to 3"),
    ("laplacian-8", lambda: np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
     r"answers a vertical line 6 and a horizontal one 6: .* at most half as much"),
    ("answers-nothing", lambda: np.array([[1, -1, 0], [-1, 1, 0], [0, 0, 0]]),
     r"does not answer a thin horizontal line at all"),
    ("zeros", lambda: np.zeros((3, 3)), r"all zeros"),
    ("nan", lambda: np.array([[-1, -1, -1], [2, np.inf, 2], [-1, -1, -1]]), r"NaN or infinity"),
    ("5-by-5", lambda: np.pad(LINE, 1), r"your kernel is 5 x 5"),
    ("half-an-edge", lambda: np.array([[-1, -1, -1], [1, 1, 1], [0, 0, 0]]),
     r"answers a horizontal step edge 3 and a thin line 3, not clearly \(1\.2 x\) less\. A line"),
    ("a-string", lambda: "horizontal", r"'horizontal' \(str\), not a 2-D array"),
]


@pytest.mark.parametrize("name, fn", LINE_RIGHT, ids=ids(LINE_RIGHT))
def test_line_kernel_right(capsys, name, fn):
    assert_right(capsys, "line_kernel", fn)


@pytest.mark.parametrize("name, fn, says", LINE_WRONG, ids=ids(LINE_WRONG))
def test_line_kernel_wrong(capsys, name, fn, says):
    assert_wrong(capsys, "line_kernel", fn, says, not_says=None if name == "transposed" else "transpos")


def test_line_kernel_not_done(capsys):
    assert_not_done(capsys, "line_kernel")


def test_line_images_are_the_notebook_s():
    images = nb03.line_images()
    assert np.array_equal(images["line"], np.pad(np.ones((1, 9)), ((4, 4), (0, 0))))
    assert np.array_equal(images["vertical"], images["line"].T) and images["edge"].sum() == 45
