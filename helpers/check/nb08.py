"""Notebook 08, VGG16 and ImageNet: ``vgg_block_params`` and ``conv_as_dense``."""

import numpy as np

from .verdict import SEED, Wrong, array2d, call, checker, close, count, exact_answers, first_difference, \
    integer, not_finite, pair, refuse_truncated, shape

# ----------------------------------------------------------------------------- vgg_block_params


def keras_block_params(c_in, c_out, n_convs, f):
    """Independent reference: build the n_convs Conv2D layers and let Keras count their parameters."""
    import keras

    total, channels = 0, c_in
    for _ in range(n_convs):
        layer = keras.layers.Conv2D(c_out, f, padding="same")
        layer.build((None, None, None, channels))
        total += layer.count_params()
        channels = c_out
    return int(total)


def _block(c_in, c_out, n, f, weights=lambda f, c: f * f * c, bias=1, first=None):
    """Variants of the count: n convolutions of c_out filters, weights(f, channels in) + bias each."""
    total, channels = 0, c_in
    for _ in range(n):
        total += c_out * (weights(f, channels) + bias)
        channels = c_out if first is None else first
    return total


BLOCK_MISTAKES = [
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, bias=0),
     "you leave out the biases: each of the c_out filters has one bias"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, first=c_in),
     "only the first convolution sees c_in channels; the others see the c_out channels of the convolution before them"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, 1, f), "you count one convolution; the block has n_convs of them"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, weights=lambda f, c: f * f),
     "a filter has f x f weights for EACH input channel: f x f x c_in"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, weights=lambda f, c: f * c),
     "an f x f filter has f x f (not f) weights per input channel"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, 3), "you always use 3 x 3; use f"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f) - (n - 1) * c_out,
     "one bias per filter, in every convolution of the block"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, weights=lambda f, c: f * f * c + c, bias=0),
     "one bias per filter (c_out biases per convolution), not one per input channel"),
    (lambda c_in, c_out, n, f=3: _block(c_out, c_out, n, f),
     "the first convolution sees the c_in channels of the block's input, not c_out"),
]


def _block_cases():
    cases = [("VGG16's block 1 (c_in = 3, c_out = 64, n_convs = 2)", (3, 64, 2)),
             ("VGG16's block 3 (c_in = 128, c_out = 256, n_convs = 3)", (128, 256, 3)),
             ("VGG16's block 5 (c_in = 512, c_out = 512, n_convs = 3)", (512, 512, 3)),
             ("c_in = 1, c_out = 8, n_convs = 1, f = 5", (1, 8, 1, 5)),
             ("c_in = 16, c_out = 4, n_convs = 2, f = 1", (16, 4, 2, 1))]
    rng = np.random.default_rng(SEED)
    for _ in range(5):
        c_in, c_out, n = (int(v) for v in (rng.integers(1, 65), rng.integers(1, 65), rng.integers(1, 5)))
        f = int(rng.choice([1, 3, 5, 7]))
        args = (c_in, c_out, n) + ((f,) if f != 3 else ())
        cases.append((f"c_in = {c_in}, c_out = {c_out}, n_convs = {n}, f = {f}", args))
    return cases


@checker("vgg_block_params", "return the number of weights and biases of n_convs f x f convolutions: "
                             "the first sees c_in channels, the next ones c_out")
def vgg_block_params(fn):
    """fn(c_in, c_out, n_convs, f=3) -> the parameters of one VGG block (n_convs f x f convolutions with
    c_out filters each, biases included; the pooling has none), an int. Reference: Keras' count_params()
    of the same Conv2D layers; VGG16's blocks 1, 3 and 5 (f left at its default) and blocks with f = 1,
    3, 5, 7."""
    def explain(case, args, got, due, hint):
        return (f"for {case} you return {count(got)}; Keras counts {count(due)} ("
                + (hint or "per convolution: f x f x channels in x c_out weights + c_out biases") + ")")

    answers = exact_answers(fn, _block_cases(), lambda v, case, args: integer(v, case, "a parameter count"),
                            lambda args: keras_block_params(*args[:3], args[3] if len(args) > 3 else 3),
                            BLOCK_MISTAKES, explain, "a parameter count", "a number of weights")
    return (f"right: VGG16's block 1 has 38,720 parameters, and all {len(answers)} blocks agree with Keras' "
            "count_params()")


# ----------------------------------------------------------------------------- conv_as_dense


def dense_reference(kernel, n, s):
    """Independent reference: column p of W is the strided valid cross-correlation (scipy) of the image
    that is 1 at pixel p and 0 elsewhere."""
    from scipy import signal

    columns = []
    for p in range(n * n):
        impulse = np.zeros(n * n)
        impulse[p] = 1.0
        columns.append(signal.correlate2d(impulse.reshape(n, n), kernel, mode="valid")[::s, ::s].ravel())
    return np.stack(columns, axis=1)


def _conv_dense_cases():
    rng = np.random.default_rng(SEED)
    yield "the slide's 3 x 3 filter on a 6 x 6 image, s = 1", np.array([[1, 0, -1]] * 3, dtype=float), 6, 1
    yield "a random 3 x 3 kernel, n = 6, s = 2", np.round(rng.normal(size=(3, 3)), 2), 6, 2
    yield "a random 3 x 3 kernel, n = 8, s = 3", np.round(rng.normal(size=(3, 3)), 2), 8, 3
    for _ in range(3):
        f = int(rng.integers(1, 5))
        n, s = int(rng.integers(f, 9)), int(rng.integers(1, 3))
        yield f"a random {f} x {f} kernel, n = {n}, s = {s}", np.round(rng.normal(size=(f, f)), 2), n, s


@checker("conv_as_dense", "build W with one row per output position (row r * m + c) holding the kernel "
                          "at the window whose top-left pixel is (r * s, c * s), zeros elsewhere")
def conv_as_dense(fn):
    """fn(kernel, n, s) -> W, shape (m * m, n * n), m = (n - f) // s + 1: the dense layer that computes the
    valid cross-correlation with stride s, (W @ image.ravel()).reshape(m, m); an array or a list of lists
    of any float dtype (the tolerance follows it). Reference: W built column by column from
    scipy.signal.correlate2d of unit impulses; strides 1, 2 and 3."""
    cases = 0
    for case, kernel, n, s in _conv_dense_cases():
        cases += 1
        got = array2d(call(fn, (kernel.copy(), n, s), case, ("kernel", "n", "s")), case)
        due = dense_reference(kernel, n, s)
        f = kernel.shape[0]
        m = (n - f) // s + 1
        if got.shape != due.shape:
            if got.shape == due.shape[::-1]:
                why = "it is transposed: one ROW per output position, one column per input pixel"
            elif s > 1 and got.shape == ((n - f + 1) ** 2, n * n):
                why = (f"you ignore the stride: with s = {s} the windows start every {s} pixels, "
                       f"m = (n - f) // s + 1 = {m}")
            else:
                why = f"m = (n - f) // s + 1 = {m} output positions per side, n x n = {n * n} inputs"
            raise Wrong(f"for {case} W is {shape(got.shape)}, it should be {shape(due.shape)}: {why}")
        not_finite(got, case, "W")
        scale = np.abs(dense_reference(np.abs(kernel), n, s))
        if close(got, due, scale).all():
            continue
        refuse_truncated(got, due, case, "create W with np.zeros(shape), a float array")
        order = np.arange(m * m).reshape(m, m).T.ravel()
        if close(got, dense_reference(kernel[::-1, ::-1], n, s), scale).all():
            why = "the kernel is flipped (a convolution); a Conv2D layer computes the cross-correlation"
        elif close(got[order], due, scale).all():
            why = "the rows are in column-major order: row r * m + c belongs to output row r, column c"
        elif close(got, dense_reference(kernel.T, n, s), scale).all():
            why = "the kernel is transposed: the window's row k, column l holds kernel[k, l]"
        else:
            i, j = first_difference(got, due, scale)
            g, d = pair(got[i, j], due[i, j])
            why = (f"W[{i}, {j}] is {g}, it should be {d} (output position {divmod(i, m)}, input pixel "
                   f"{divmod(j, n)})")
        raise Wrong(f"for {case} your W is wrong: {why}")
    return (f"right: in all {cases} cases W @ image equals scipy.signal.correlate2d(image, kernel, 'valid')"
            "[::s, ::s]; for the slide's 6 x 6 image W has 16 x 36 = 576 entries, 9 distinct weights")
