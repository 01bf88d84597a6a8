"""helpers.check.nb05 (notebook 05): output_size and same_padding accept right answers written in other
ways and give every wrong one a true sentence; their references agree with Keras."""

import math

import numpy as np

from check_cases import right_and_wrong, assert_not_done, assert_wrong, raises_coloured
from helpers.check import nb05

# ----------------------------------------------------------------------------- output_size


def positions_by_loop(n, f, p=0, s=1):
    count, start = 0, 0
    while start + f <= n + 2 * p:
        count, start = count + 1, start + s
    return count


OUTPUT_SIZE_RIGHT = [
    ("floor-of-division", lambda n, f, p=0, s=1: int(np.floor((n + 2 * p - f) / s)) + 1),
    ("len-of-range", lambda n, f, p=0, s=1: len(range(0, n + 2 * p - f + 1, s))),
    ("numpy-int", lambda n, f, p=0, s=1: np.int64((n + 2 * p - f) // s + 1)),
    ("0-d-array", lambda n, f, p=0, s=1: np.array((n + 2 * p - f) // s + 1)),
    ("math-floor", lambda n, f, p=0, s=1: math.floor((n + 2 * p - f) / s + 1)),
    ("counting-loop", positions_by_loop),
]

OUTPUT_SIZE_WRONG = [
    ("steps-not-positions", lambda n, f, p=0, s=1: (n + 2 * p - f) // s,
     r"n = 6, f = 3, p = 0, s = 1 you return 3; a 3 x 3 filter fits n - f \+ 1 = 6 - 3 \+ 1 = 4 times.*add 1"),
    ("one-too-many", lambda n, f, p=0, s=1: (n + 2 * p - f) // s + 2, r"you return 5;.*4 times.*one too many"),
    ("one-side-padding", lambda n, f, p=0, s=1: (n + p - f) // s + 1, r"p = 1.*one side only.*n \+ 2p"),
    ("no-padding", lambda n, f, p=0, s=1: (n - f) // s + 1, r"p = 1.*leave out the padding"),
    ("true-division", lambda n, f, p=0, s=1: (n + 2 * p - f) / s + 1,
     r"n = 6, f = 3, p = 0, s = 2 you return 2\.5, which is not a whole number"),
    ("floor-as-float", lambda n, f, p=0, s=1: np.floor((n + 2 * p - f) / s) + 1,
     r"right in all 49 cases, but 49 of them hold floats \(4\.0 for n = 6.*int\(\.\.\.\)"),
    ("no-stride", lambda n, f, p=0, s=1: n + 2 * p - f + 1, r"s = 2.*leave out the stride"),
    ("round-up", lambda n, f, p=0, s=1: math.ceil((n + 2 * p - f) / s) + 1, r"round up.*round down"),
    ("divide-too-much", lambda n, f, p=0, s=1: (n + 2 * p - f + 1) // s, r"divide only n \+ 2p - f by s"),
    ("a-string", lambda n, f, p=0, s=1: str((n + 2 * p - f) // s + 1), r"'4' \(str\).*one int"),
    ("no-return", lambda n, f, p=0, s=1: None, r"returns None.*return"),
    ("two-arguments", lambda n, f: n - f + 1, r"raised TypeError.*arguments"),
    ("infinity", lambda n, f, p=0, s=1: math.inf, r"you return inf \(infinity\); a number of positions"),
    ("nan", lambda n, f, p=0, s=1: math.nan, r"you return nan \(not a number\)"),
    ("huge", lambda n, f, p=0, s=1: 10 ** 30, r"n = 6, f = 3, p = 0, s = 1 you return 1e\+30; .* 4 times"),
    ("the-lecture-example-only", lambda n, f, p=0, s=1: 4,
     r"for n = 6, f = 3, p = 1, s = 1 you return 4; a 3 x 3 filter fits n \+ 2p - f \+ 1 = 6 \+ 2 - 3 \+ 1 = 6 "
     r"times in the padded input$"),
    ("a-generator", lambda n, f, p=0, s=1: (k for k in range(n)), r"you return a generator"),
    ("a-list", lambda n, f, p=0, s=1: [(n + 2 * p - f) // s + 1],
     r"a list of 1 item; a number of positions is one int"),
    ("coloured-exception", raises_coloured, r"raised ValueError: Input 0 of layer 'dense' is incompatible \("),
]


test_output_size_right, test_output_size_wrong = right_and_wrong(
    "output_size", OUTPUT_SIZE_RIGHT, OUTPUT_SIZE_WRONG, not_says=r"use //")


def test_output_size_not_done_and_not_a_function(capsys):
    assert_not_done(capsys, "output_size")
    assert_wrong(capsys, "output_size", 4, r"pass the function itself.*got 4")


def test_output_size_reference_is_keras_and_the_lecture():
    assert nb05.keras_output_side(6, 3, 0, 1) == 4 and nb05.keras_output_side(224, 3, 1, 1) == 224
    assert nb05.keras_output_side(227, 11, 0, 4) == 55                   # AlexNet's first layer
    assert nb05.keras_output_side(7, 3, 1, 2) == nb05.keras_output_side(8, 3, 1, 2) == 4


# ----------------------------------------------------------------------------- same_padding


def same_by_search(n, f, s):
    outputs = -(-n // s)
    total = 0
    while (n + total - f) // s + 1 < outputs:
        total += 1
    return total // 2, total - total // 2


SAME_RIGHT = [
    ("a-list", lambda n, f, s: [max((math.ceil(n / s) - 1) * s + f - n, 0) // 2,
                                max((math.ceil(n / s) - 1) * s + f - n, 0)
                                - max((math.ceil(n / s) - 1) * s + f - n, 0) // 2]),
    ("an-array", lambda n, f, s: np.array(same_by_search(n, f, s))),
    ("numpy-ints", lambda n, f, s: tuple(np.int64(v) for v in same_by_search(n, f, s))),
    ("ceil-by-adding", lambda n, f, s: (lambda t: (t // 2, t - t // 2))(max(((n + s - 1) // s - 1) * s + f - n, 0))),
    ("search", same_by_search),
    ("divmod", lambda n, f, s: (lambda t: (divmod(t, 2)[0], sum(divmod(t, 2))))(max((-(-n // s) - 1) * s + f - n, 0))),
]


def same(n, f, s):
    total = max((math.ceil(n / s) - 1) * s + f - n, 0)
    return total // 2, total - total // 2


SAME_WRONG = [
    ("stride-1-formula", lambda n, f, s: ((f - 1) // 2, (f - 1) // 2),
     r"n = 6, f = 3, s = 2 you return \(1, 1\); Keras pads \(0, 1\).*stride 1"),
    ("extra-before", lambda n, f, s: same(n, f, s)[::-1], r"you return \(1, 0\).*goes after"),
    ("the-total", lambda n, f, s: sum(same(n, f, s)), r"you return 2; a \(before, after\) pair of ints"),
    ("negative", lambda n, f, s: (lambda t: (t // 2, t - t // 2))((math.ceil(n / s) - 1) * s + f - n),
     r"never negative: max\(\.\.\., 0\)"),
    ("floor-of-n-over-s", lambda n, f, s: (lambda t: (t // 2, t - t // 2))(max((n // s - 1) * s + f - n, 0)),
     r"⌈n / s⌉ positions .*not ⌊n / s⌋"),
    ("floats", lambda n, f, s: tuple(float(v) for v in same(n, f, s)),
     r"right in all 16 cases, but 16 of them hold floats \(\(1\.0, 1\.0\) for n = 6, f = 3, s = 1\)"),
    ("no-return", lambda n, f, s: None, r"returns None"),
    ("three-numbers", lambda n, f, s: (*same(n, f, s), 0), r"a tuple of 3 items; a \(before, after\) pair"),
    ("all-before", lambda n, f, s: (sum(same(n, f, s)), 0),
     r"for n = 6, f = 3, s = 1 you return \(2, 0\); Keras pads \(1, 1\): the output has ⌈6 / 1⌉ = 6 positions, "
     r"which need 2 zero\(s\) in all$"),
    ("a-generator", lambda n, f, s: (v for v in same(n, f, s)), r"you return a generator"),
    ("nan", lambda n, f, s: (math.nan, 1), r"you return nan \(not a number\); a number of zeros"),
]


test_same_padding_right, test_same_padding_wrong = right_and_wrong("same_padding", SAME_RIGHT, SAME_WRONG)


def test_same_padding_not_done(capsys):
    assert_not_done(capsys, "same_padding")


def test_same_padding_reference_is_the_lecture():
    assert nb05.keras_same_pads(6, 3, 2) == (0, 1) and nb05.keras_same_pads(6, 3, 1) == (1, 1)
    assert nb05.keras_same_pads(4, 5, 1) == (2, 2) and nb05.keras_same_pads(7, 2, 1) == (0, 1)
