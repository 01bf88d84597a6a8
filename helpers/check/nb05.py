"""Notebook 05, padding, stride and channels: ``output_size`` and ``same_padding``."""

import numpy as np

from .verdict import SEED, checker, exact_answers, int_pair, integer, said

# ----------------------------------------------------------------------------- output_size


def keras_output_side(n, f, p, s):
    """Independent reference: the side Keras' Conv2D(f, strides=s) gives on an input zero-padded by p."""
    import keras

    side = n + 2 * p
    return int(keras.layers.Conv2D(1, f, strides=s).compute_output_shape((None, side, side, 1))[1])


def _output_size_cases():
    lecture = [(6, 3, 0, 1), (6, 3, 1, 1), (7, 3, 0, 2), (6, 3, 0, 2), (5, 3, 1, 2),
               (224, 3, 1, 1), (32, 5, 2, 1), (28, 2, 0, 2), (227, 11, 0, 4)]
    rng = np.random.default_rng(SEED)
    random = []
    for _ in range(40):
        n, p, s = int(rng.integers(1, 40)), int(rng.integers(0, 4)), int(rng.integers(1, 5))
        random.append((n, int(rng.integers(1, n + 2 * p + 1)), p, s))
    return [(f"n = {n}, f = {f}, p = {p}, s = {s}", (n, f, p, s)) for n, f, p, s in lecture + random]


OUTPUT_SIZE_MISTAKES = [
    (lambda n, f, p, s: (n + 2 * p - f) // s, "you count the steps between positions, not the positions: add 1"),
    (lambda n, f, p, s: (n + p - f) // s + 1, "you pad one side only: padding adds p pixels on each side, n + 2p"),
    (lambda n, f, p, s: (n - f) // s + 1, "you leave out the padding p: the padded input is n + 2p wide"),
    (lambda n, f, p, s: (n + 2 * p - f) + 1,
     "you leave out the stride: the filter jumps s pixels, so divide (n + 2p - f) by s"),
    (lambda n, f, p, s: -(-(n + 2 * p - f) // s) + 1,
     "you round up; a window that runs past the edge does not count: round down (//)"),
    (lambda n, f, p, s: (n + 2 * p - f + 1) // s, "divide only n + 2p - f by s, then add 1"),
    (lambda n, f, p, s: (n + 2 * p - f) // s + 2, "one too many: the last window must fit inside the (padded) input"),
    (lambda n, f, p, s: (n + 2 * p + f) // s + 1, "subtract f: the window needs f pixels of room"),
    (lambda n, f, p, s: (n - 2 * p - f) // s + 1, "padding makes the input bigger: add 2p, do not subtract it"),
    (lambda n, f, p, s: (n + 2 * p - f) // s + 1 if s == 1 else n // s,
     "with a stride the output is not n / s: count the positions, ⌊(n + 2p - f) / s⌋ + 1"),
]


def _output_size_reason(n, f, p, s, due):
    """Why `due` is right, in the lecture's terms."""
    if p == 0 and s == 1:
        return f"a {f} x {f} filter fits n - f + 1 = {n} - {f} + 1 = {due} times"
    if s == 1:
        return f"a {f} x {f} filter fits n + 2p - f + 1 = {n} + {2 * p} - {f} + 1 = {due} times in the padded input"
    return (f"with stride {s} a {f} x {f} filter fits ⌊(n + 2p - f) / s⌋ + 1 = ⌊{n + 2 * p - f} / {s}⌋ + 1 = "
            f"{due} times")


@checker("output_size", "return the side of the output, an int, from n, f, p and s "
                        "(how many positions the window takes)")
def output_size(fn):
    """fn(n, f, p, s) -> int, the output side for an n x n input, f x f filter, padding p, stride s.

    Reference: the output shape of Keras' Conv2D on the zero-padded input; the lecture's examples (6 x 6
    with a 3 x 3 filter, padding 1, stride 2 on 7 and 8, VGG's 224 with "same" padding, AlexNet's 227
    with 11 x 11 stride 4) and 40 random cases. An int is due (a numpy int is one); a float of the
    right value is named as such.
    """
    def explain(case, args, got, due, hint):
        return f"for {case} you return {said(got)}; {_output_size_reason(*args, due)}" + (f" ({hint})" if hint else "")

    answers = exact_answers(fn, _output_size_cases(), lambda v, case, args: integer(v, case, "a number of positions"),
                            lambda args: keras_output_side(*args), OUTPUT_SIZE_MISTAKES, explain,
                            "a number of positions", "the side of an array")
    return (f"right on all {len(answers)} cases: the lecture's 6 x 6 with a 3 x 3 filter (4, or 6 with p = 1), "
            "strides that do not divide evenly (rounded down), and 40 random ones")


# ----------------------------------------------------------------------------- same_padding


def keras_same_pads(n, f, s):
    """Independent reference: Keras' "same" convolution of a random signal, compared with explicit zero
    padding (before, after) + a valid convolution for every candidate split; the one that matches."""
    import keras

    rng = np.random.default_rng(n * 1000 + f * 10 + s)
    x = rng.normal(size=n)
    kernel = rng.normal(size=f)
    same = np.asarray(keras.ops.conv(x.reshape(1, n, 1).astype("float64"), kernel.reshape(f, 1, 1).astype("float64"),
                                     strides=s, padding="same")).ravel()
    for before in range(f + s):
        for after in range(f + s):
            padded = np.pad(x, (before, after))
            if padded.size < f:
                continue
            valid = np.lib.stride_tricks.sliding_window_view(padded, f)[::s] @ kernel
            if valid.shape == same.shape and np.allclose(valid, same, atol=1e-9):
                return before, after
    raise AssertionError(f"no explicit padding reproduces Keras' 'same' for n={n}, f={f}, s={s}")


def _ceil(a, b):
    return -(-a // b)


SAME_MISTAKES = [
    (lambda n, f, s: ((f - 1) // 2, (f - 1) // 2),
     ("you pad (f - 1) // 2 on each side, right for stride 1 and odd f only; with stride s the output has "
      "⌈n / s⌉ positions, so the total is max((⌈n / s⌉ - 1) s + f - n, 0)")),
    (lambda n, f, s: ((f - 1) // 2, f - 1 - (f - 1) // 2),
     ("you pad for stride 1 (f - 1 in all); with stride s the output has ⌈n / s⌉ positions, so the total "
      "is max((⌈n / s⌉ - 1) s + f - n, 0)")),
    (lambda n, f, s: (lambda t: (t - t // 2, t // 2))(max((_ceil(n, s) - 1) * s + f - n, 0)),
     "the extra pixel goes after (bottom/right) in TensorFlow, not before"),
    (lambda n, f, s: (lambda t: (t // 2, t - t // 2))(max((n // s - 1) * s + f - n, 0)),
     "the output has ⌈n / s⌉ positions (rounded up: 'same' keeps a partial window), not ⌊n / s⌋"),
    (lambda n, f, s: (lambda t: (t // 2, t - t // 2))((_ceil(n, s) - 1) * s + f - n),
     "padding is never negative: max(..., 0)"),
    (lambda n, f, s: (lambda t: (t // 2, t - t // 2))(max(_ceil(n, s) * s + f - n, 0)),
     "the last window starts at (⌈n / s⌉ - 1) s: subtract 1 from the number of positions first"),
]


def _same_cases():
    fixed = [(6, 3, 1), (6, 3, 2), (5, 3, 2), (7, 2, 1), (224, 3, 1), (6, 1, 2), (5, 4, 3), (4, 5, 1), (2, 3, 4),
             (9, 2, 2)]
    rng = np.random.default_rng(SEED)
    random = [(int(rng.integers(1, 20)), int(rng.integers(1, 7)), int(rng.integers(1, 4))) for _ in range(6)]
    return [(f"n = {n}, f = {f}, s = {s}", (n, f, s)) for n, f, s in fixed + random]


def _read_pair(value, case, args):
    return int_pair(value, case, "(before, after)", "a number of zeros")


@checker("same_padding", "return (before, after): total = max((⌈n / s⌉ - 1) * s + f - n, 0), "
                         "before = total // 2, after = total - before")
def same_padding(fn):
    """fn(n, f, s) -> (before, after), the zeros Keras/TensorFlow's padding="same" adds before (top/left)
    and after (bottom/right) an n-pixel side for an f x f filter with stride s. A tuple, a list or an
    array of two ints. Reference: Keras' "same" convolution matched by explicit zero padding and a valid
    convolution (numpy); stride 1, 2, 3 and 4, odd and even f, f larger than n."""
    def explain(case, args, got, due, hint):
        n, _, s = args
        return (f"for {case} you return ({said(got[0])}, {said(got[1])}); Keras pads {due}: the output has "
                f"⌈{n} / {s}⌉ = {_ceil(n, s)} positions, which need {sum(due)} zero(s) in all"
                + (f" ({hint})" if hint else ""))

    answers = exact_answers(fn, _same_cases(), _read_pair, lambda args: keras_same_pads(*args), SAME_MISTAKES,
                            explain, "a number of zeros", "the width of a border")
    return (f"right: n = 6, f = 3, s = 2 needs (0, 1), an odd total with an odd f, and all {len(answers)} "
            "cases match what Keras' padding='same' does")
