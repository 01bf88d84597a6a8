"""Notebook 06, max-pooling and receptive fields: ``max_pool`` and ``receptive_field``."""

import math

import numpy as np

from .verdict import SEED, Wrong, array2d, call, checker, close, exact_answers, first_difference, integer, \
    not_finite, pair, refuse_truncated, said, shape

# ----------------------------------------------------------------------------- max_pool


def pool_reference(x, size):
    """Independent reference: crop to whole blocks, reshape to (rows, size, cols, size), numpy's max (the
    same as Keras' MaxPooling2D with stride = size and no padding: tests/test_check_06.py)."""
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return x[:rows * size, :cols * size].reshape(rows, size, cols, size).max(axis=(1, 3))


def _pool_cases():
    yield "the lecture's 4 x 4 example, size 2", np.array(
        [[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype="float32"), 2
    rng = np.random.default_rng(SEED)
    yield "a 6 x 6 input, size 3", rng.integers(0, 10, size=(6, 6)).astype(float), 3
    yield "a 5 x 5 input, size 2 (one row and one column left over)", rng.integers(0, 10, size=(5, 5)).astype(float), 2
    yield "a 4 x 6 input, size 2", rng.integers(0, 10, size=(4, 6)).astype(float), 2
    yield "an all-negative 4 x 4 input, size 2", -rng.integers(1, 10, size=(4, 4)).astype(float), 2
    for _ in range(8):
        size = int(rng.integers(1, 5))
        rows, cols = rng.integers(size, 13, size=2)
        x = np.round(rng.normal(size=(rows, cols)), 2)
        yield f"a random {shape(x.shape)} input, size {size}", x, size


def _pool_shape_hint(got, x, size, due):
    (rows, cols), (d_r, d_c) = x.shape, due.shape
    why = (f"a {size} x {size} window with stride {size} fits ⌊{rows} / {size}⌋ = {d_r} times down "
           f"and ⌊{cols} / {size}⌋ = {d_c} across")
    if size > 1 and got == (rows - size + 1, cols - size + 1):
        return (f"your windows overlap (they move by 1); max-pooling here moves the window by its size (stride = "
                f"size = {size}), so the blocks do not overlap: " + why)
    if got == (-(-rows // size), -(-cols // size)):
        return ("you pool the leftover edge too; without padding, rows and columns that do not fill a whole "
                "window are dropped: " + why)
    if got == x.shape:
        return "that is the input's size; pooling shrinks it: " + why
    if got == due.shape[::-1]:
        return "rows and columns swapped: " + why
    if size != 2 and got == (rows // 2, cols // 2):
        return f"you always use a 2 x 2 window; use size = {size}: " + why
    return why


@checker("max_pool", "return the max-pooled array: for each size x size block (stride = size, no "
                     "padding), the largest value")
def max_pool(fn):
    """fn(x2d, size) -> the 2-D max-pooled array, window size x size, stride = size, no padding (rows and
    columns that do not fill a window are dropped), as an array or a list of lists of any dtype that
    holds the values. Reference: numpy's max over the input cropped to whole blocks and reshaped to
    (rows, size, cols, size); the lecture's 4 x 4 example and random ones, not square, negative values too."""
    count = 0
    for case, x, size in _pool_cases():
        count += 1
        got = array2d(call(fn, (x.copy(), size), case, ("x", "size")), case)
        due = pool_reference(x, size)
        if got.shape != due.shape:
            raise Wrong(f"for {case} your output is {shape(got.shape)}, it should be {shape(due.shape)}: "
                        f"{_pool_shape_hint(got.shape, x, size, due)}")
        not_finite(got, case, "output")
        scale = np.abs(due)
        if close(got, due, scale).all():
            continue
        d_r, d_c = due.shape
        blocks = x[:d_r * size, :d_c * size].reshape(d_r, size, d_c, size)
        why = None
        if close(got, blocks.mean(axis=(1, 3)), scale).all():
            why = "you take the mean of each window (average pooling); max-pooling keeps the largest value"
        elif close(got, blocks.min(axis=(1, 3)), scale).all():
            why = "you keep the smallest value of each window; max-pooling keeps the largest"
        elif close(got, blocks.sum(axis=(1, 3)), np.abs(blocks).sum(axis=(1, 3))).all():
            why = "you add up each window; max-pooling keeps the largest value"
        elif d_r == d_c and close(got.T, due, scale).all():
            why = ("your output is transposed (rows and columns swapped): output[i, j] belongs to the block in row i, "
                   "column j")
        elif close(got, np.maximum(due, 0), scale).all():
            why = ("your maximum starts at 0, bigger than every value of a window whose values are all negative; "
                   "start from the window's own values (window.max()) or -inf")
        elif close(got, np.full(due.shape, x.max()), scale).all():
            why = "every entry is the largest value of the whole input; each block has its own maximum"
        if why:
            raise Wrong(f"for {case} {why}")
        refuse_truncated(got, due, case, "make it a float array (np.zeros(shape), or dtype=x.dtype)")
        i, j = first_difference(got, due, scale)
        g, d = pair(got[i, j], due[i, j])
        raise Wrong(f"for {case} your output[{i}, {j}] is {g}, it should be {d}, the largest value of "
                    f"x[{i * size}:{(i + 1) * size}, {j * size}:{(j + 1) * size}]")
    return (f"right: the lecture's 4 x 4 gives [[9, 2], [6, 3]], and {count - 1} more inputs (leftover "
            "edges, negative values, sizes 1 to 4) match numpy's max over each block")


# ----------------------------------------------------------------------------- receptive_field


def measured_field(layers):
    """Independent reference: send an impulse from every input pixel through a 1-D stack of box filters
    (numpy sliding windows, every s-th kept) and measure the extent of the pixels output unit 0 sees."""
    length = 16
    while True:
        x = np.eye(length)                     # row i: an impulse at input pixel i
        for f, s in layers:
            if x.shape[1] < f:
                break
            x = np.lib.stride_tricks.sliding_window_view(x, f, axis=1)[:, ::s].sum(axis=-1)
        else:
            seen = np.flatnonzero(x[:, 0] > 0)
            if seen[-1] < length - 1:          # the field does not touch the end: the input was long enough
                return int(seen[-1] - seen[0] + 1)
        length *= 2


def _recursion(layers, start=1, own_stride=False, use_jump=True):
    """Variants of the recursion r += (f - 1) * jump; jump *= s, as typical wrong answers compute it."""
    r, jump = start, 1
    for f, s in layers:
        r += (f - 1) * (jump * s if own_stride else jump if use_jump else 1)
        jump *= s
    return r


FIELD_MISTAKES = [
    (lambda layers: _recursion(layers, use_jump=False),
     ("you add f - 1 for every layer, ignoring the jump: after a stride-s layer neighbouring units are s "
      "pixels apart, so each layer adds (f - 1) x jump, the jump being the product of the strides of the "
      "layers before it")),
    (lambda layers: _recursion(layers, own_stride=True),
     ("you multiply f - 1 by the jump after the layer (its own stride included); a layer's window spans "
      "units of its input, spaced by the jump of the layers before it: r += (f - 1) * jump first, then "
      "jump *= s")),
    (lambda layers: _recursion(layers, start=0), "off by one: start from r = 1 (one input pixel sees itself), not 0"),
    (lambda layers: sum(f for f, _ in layers), "you add up the filter sizes; each layer adds (f - 1) x jump"),
    (lambda layers: _recursion(layers, start=2), "off by one: start from r = 1 (one input pixel sees itself)"),
    (lambda layers: _recursion(layers[::-1]),
     "you go through the layers in the wrong order: layers[0] is the first layer, next to the input"),
    (lambda layers: math.prod(f for f, _ in layers), "you multiply the filter sizes; each layer adds (f - 1) x jump"),
    (lambda layers: math.prod(s for _, s in layers),
     "that is the jump (the product of the strides), not the receptive field"),
    (lambda layers: _recursion(layers[-1:]), "you use the last layer only; every layer of the stack adds to the field"),
]


VGG16 = [(3, 1), (3, 1), (2, 2)] * 2 + [(3, 1), (3, 1), (3, 1), (2, 2)] * 3


def _field_cases():
    cases = [("two 3 x 3 convolutions, [(3, 1), (3, 1)]", [(3, 1), (3, 1)]),
             ("three 3 x 3 convolutions", [(3, 1)] * 3),
             ("conv 3 x 3, pool 2 x 2 stride 2, conv 3 x 3: [(3, 1), (2, 2), (3, 1)]", [(3, 1), (2, 2), (3, 1)]),
             ("VGG16's 13 convolutions and 5 poolings", list(VGG16)),
             ("one 5 x 5 convolution with stride 2", [(5, 2)]),
             ("a 1 x 1 convolution with stride 2, then a 3 x 3 one: [(1, 2), (3, 1)]", [(1, 2), (3, 1)])]
    rng = np.random.default_rng(SEED)
    for _ in range(12):
        layers = []
        for _ in range(int(rng.integers(2, 6))):
            f = int(rng.integers(1, 6))
            layers.append((f, int(rng.integers(1, f + 1)) if f > 1 else 1))
        cases.append((f"the stack {layers}", layers))
    return [(case, (layers,)) for case, layers in cases]


@checker("receptive_field", "go through the layers in order, keeping the field r (start 1) and the jump j "
                            "(start 1): each layer adds (f - 1) x j to r, then multiplies j by its stride")
def receptive_field(fn):
    """fn(layers) -> the receptive-field side of the last layer (an int), layers a list of (f, s) pairs,
    first layer first. Reference: measured with impulses through box filters (numpy), not the recursion;
    cases: the lecture's stacks, VGG16's 212, a stride larger than its filter, and random stacks."""
    def explain(case, args, got, due, hint):
        return (f"for {case} you return {said(got)}; one unit of the last layer sees {due} x {due} input pixels"
                + (f" ({hint})" if hint else ""))

    answers = exact_answers(fn, _field_cases(), lambda v, case, args: integer(v, case, "the receptive field"),
                            lambda args: measured_field(*args), FIELD_MISTAKES, explain, "a receptive field",
                            "a number of pixels", names=("layers",))
    return (f"right: two 3 x 3 convolutions see 5 x 5, VGG16's last pooling 212 x 212, and {len(answers) - 6} "
            "random stacks with strides agree with a measurement (an impulse through the stack)")
