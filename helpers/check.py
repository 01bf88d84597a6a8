"""Checks for the notebooks' code exercises: ``check.output_size(output_size)`` and its siblings.

Each checker calls the student's function on the lecture's example and on random cases the student
did not see, compares every answer with an independent reference (scipy, numpy, scikit-image, Keras;
never the course's own helper for the same formula), and prints ONE line:

    ✅ ... what was checked and passed
    ❌ ... the first case that is wrong, what came back, what was due and why, in the lecture's terms
    ⏳ ... not done yet: what to write (the function still raises NotImplementedError, nbgrader's stub)

A checker never shows a traceback: the student's function may raise, return None, a float where an
int is due, a list, the wrong shape; each becomes one sentence. It returns None (the cell shows only
the printed line). Random cases come from a fixed seed, so a check prints the same line every run.
"""

import math
import warnings
from numbers import Integral, Real

import numpy as np

__all__ = ["confusion_matrix", "conv_as_dense", "correlate2d", "dense_image_params", "diagonal_kernel",
           "line_kernel", "locate_pattern", "max_pool", "orientation_selectivity", "output_size",
           "preferred_orientation", "receptive_field", "same_padding", "smaller_cnn", "vgg_block_params"]

_SEED = 20260514          # the unseen cases: fixed, so the printed verdict is the same every run
DONE, WRONG, TODO = "✅", "❌", "⏳"


# ----------------------------------------------------------------------------- plumbing


class _Wrong(Exception):
    """The verdict for a wrong answer: its message is the sentence the student reads."""


class _NotDone(Exception):
    """The student's function still raises NotImplementedError."""


class _BadArgument(ValueError):
    """The notebook called the checker with a bad argument (not the student's answer): raised as is."""


def _verdict(name, todo):
    """Turn a checker body (that returns the passing sentence or raises _Wrong) into a printed line."""

    def decorate(body):
        def checker(fn, *args, **kwargs):
            try:
                if not callable(fn):
                    raise _Wrong(f"pass the function itself, check.{name}(my_function), not what it returns "
                                 f"(got a {type(fn).__name__})")
                line = f"{DONE} {name}: {body(fn, *args, **kwargs)}"
            except _NotDone:
                line = f"{TODO} {name}: not done yet: {todo}"
            except _Wrong as wrong:
                line = f"{WRONG} {name}: {wrong}"
            except _BadArgument:
                raise          # the notebook passed the checker a bad argument: the lecturer's bug
            except Exception as exc:  # noqa: BLE001 (any failure: one sentence, never a traceback)
                line = f"{WRONG} {name}: could not check your answer ({type(exc).__name__}: {exc})"
            print(line)

        checker.__name__ = name
        checker.__qualname__ = name
        checker.__doc__ = body.__doc__
        return checker

    return decorate


_RAISE_HINTS = {
    IndexError: "an index runs past the edge of an array: check the ranges of your loops",
    TypeError: "check the arguments your function takes and the types it combines",
    ZeroDivisionError: "a division by zero",
    ValueError: "check the shapes your function combines",
    NameError: "a name is not defined: did you run the cells above, or mistype a variable?",
    RecursionError: "your function calls itself without end",
}


def _call(fn, args, case, kwargs=None):
    """fn(*args): NotImplementedError -> _NotDone; any other error -> _Wrong naming the case.
    numpy's and Python's warnings (0 / 0 ...) are silenced: the verdict is the one line shown."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args, **(kwargs or {}))
    except NotImplementedError:
        raise _NotDone from None
    except Exception as exc:  # noqa: BLE001 (whatever the student's code raises becomes a sentence)
        hint = next((h for t, h in _RAISE_HINTS.items() if isinstance(exc, t)), "")
        text = f": {exc}" if str(exc) else ""
        raise _Wrong(f"for {case} your function raised {type(exc).__name__}{text}"
                     + (f" ({hint})" if hint else "")) from None


def _returned(value):
    """How a returned value reads in a sentence."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 40 else f"a {type(value).__name__}"


def _no_return(value, case):
    if value is None:
        raise _Wrong(f"for {case} your function returns None: did you forget the `return` line?")


def _integer(value, case, what, fix="return an int (int(...))"):
    """An int (Python or numpy) is due: a float, a bool, a str ... -> _Wrong naming the mistake."""
    _no_return(value, case)
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.ndarray) and value.shape == () and np.issubdtype(value.dtype, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        raise _Wrong(f"for {case} you return {value!r}, a float where an int is due ({what} is a whole "
                     f"number): {fix}")
    raise _Wrong(f"for {case} you return {_returned(value)} ({type(value).__name__}); {what} is an int")


def _number(value, case, what):
    _no_return(value, case)
    if isinstance(value, (complex, np.complexfloating)):
        raise _Wrong(f"for {case} you return the complex number {complex(value):.3g}; {what} is a real number "
                     "(the length of the complex mean: abs(z))")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise _Wrong(f"for {case} you return {_returned(value)}; {what} is one number")
    return float(value)


def _array2d(value, case):
    """A 2-D array of numbers (a list of lists is fine) or _Wrong."""
    _no_return(value, case)
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 (anything numpy cannot read is "not an array")
        arr = None
    if arr is None or arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise _Wrong(f"for {case} you return {_returned(value)} ({type(value).__name__}), "
                     "not a 2-D array of numbers")
    if arr.ndim != 2:
        raise _Wrong(f"for {case} you return an array with {arr.ndim} dimension(s), shape {arr.shape}; "
                     "a 2-D array (rows, columns) is due")
    return arr


def _shape(shape):
    return " x ".join(str(n) for n in shape)


def _matches(arr, expected):
    return arr.shape == expected.shape and np.allclose(arr, expected, rtol=1e-6, atol=1e-6)


def _first_difference(arr, expected):
    i, j = np.argwhere(~np.isclose(arr, expected, rtol=1e-6, atol=1e-6))[0]
    return int(i), int(j)


def _likely_mistake(mistakes, history, same=lambda a, b: a == b):
    """The first (formula, why) of ``mistakes`` that gives the student's answer on every case tried so
    far (``history``: (args, answer) pairs, the wrong one last), or None. Using the passed cases too
    tells apart mistakes that agree on the failing case."""
    for formula, why in mistakes:
        try:
            if all(same(formula(*args), got) for args, got in history):
                return why
        except Exception:  # noqa: BLE001, S112 (a formula that fails on a case is not the mistake)
            continue
    return None


def _fmt(x):
    x = float(x)
    return str(int(x)) if x == int(x) and abs(x) < 1e15 else f"{x:.4g}"


def _refuse_truncated(arr, expected, case, fix):
    """An integer output array where the right answer has decimals -> _Wrong naming the mistake."""
    if np.issubdtype(arr.dtype, np.integer) and not np.allclose(expected, np.round(expected)):
        raise _Wrong(f"for {case} your output is an integer array ({arr.dtype}), so the values lose their "
                     f"decimals: {fix}")


# ----------------------------------------------------------------------------- 02 correlate2d

# The slide's 6 x 6 image a and 3 x 3 vertical-edge filter w (notebook 02).
_SLIDE_A = np.array([[3, 0, 1, 2, 7, 4], [1, 5, 8, 9, 3, 1], [2, 7, 2, 5, 1, 3],
                     [0, 1, 3, 1, 7, 8], [4, 2, 1, 6, 2, 8], [2, 4, 5, 2, 3, 9]])
_SLIDE_W = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


def _correlate_cases():
    rng = np.random.default_rng(_SEED)
    yield "the slide's 6 x 6 image a and 3 x 3 filter w", _SLIDE_A, _SLIDE_W
    yield "the slide's image a with the kernel [[1, 2, 3], [4, 5, 6], [7, 8, 9]]", _SLIDE_A, \
        np.arange(1, 10).reshape(3, 3)
    for rows, cols, kr, kc in [(5, 7, 2, 3), (7, 4, 3, 2), (4, 4, 1, 1), (3, 5, 3, 5)]:
        image = np.round(rng.normal(size=(rows, cols)), 2)
        kernel = np.round(rng.normal(size=(kr, kc)), 2)
        yield f"a random {_shape(image.shape)} image and {_shape(kernel.shape)} kernel", image, kernel
    for _ in range(6):
        rows, cols = rng.integers(3, 10, size=2)
        kr, kc = rng.integers(1, min(rows, cols) + 1, size=2)
        image, kernel = rng.normal(size=(rows, cols)), rng.normal(size=(kr, kc))
        yield f"a random {_shape(image.shape)} image and {_shape(kernel.shape)} kernel", image, kernel


def _correlate_shape_hint(got, image, kernel):
    (n_r, n_c), (f_r, f_c) = image.shape, kernel.shape
    due = (n_r - f_r + 1, n_c - f_c + 1)
    fits = (f"a {_shape(kernel.shape)} kernel fits n - f + 1 = {n_r} - {f_r} + 1 = {due[0]} times down and "
            f"{n_c} - {f_c} + 1 = {due[1]} times across")
    if got == (n_r - f_r, n_c - f_c):
        return f"off by one: {fits}, so loop over range(n - f + 1)"
    if got == (n_r - f_r + 2, n_c - f_c + 2):
        return f"one position too many: {fits}"
    if got == image.shape:
        return f"that is the input's size ('same' padding); the exercise wants the valid output without padding: {fits}"
    if got == (n_r + f_r - 1, n_c + f_c - 1):
        return f"that is the 'full' output (zero padding f - 1 on every side); the valid one has no padding: {fits}"
    if got == due[::-1]:
        return f"rows and columns swapped: output[i, j] belongs to row i and column j; {fits}"
    return fits


@_verdict("correlate2d", "write the nested loops: output[i, j] = the sum over k, l of "
                         "kernel[k, l] * image[i + k, j + l], for every position where the kernel fits")
def correlate2d(fn):
    """fn(image, kernel) -> the valid cross-correlation (no padding, stride 1), by nested loops.

    Reference: scipy.signal.correlate2d(image, kernel, mode="valid"), on the slide's 6 x 6 example (its
    [0, 0] is the slide's a'11 = -5) and on random images and kernels, non-square ones too.
    """
    from scipy import signal

    count = 0
    for case, image, kernel in _correlate_cases():
        count += 1
        given_image, given_kernel = image.copy(), kernel.copy()
        got = _array2d(_call(fn, (given_image, given_kernel), case), case)
        expected = signal.correlate2d(image, kernel, mode="valid")
        if not (np.array_equal(given_image, image) and np.array_equal(given_kernel, kernel)):
            raise _Wrong(f"for {case} your function changed the image or the kernel it was given; "
                         "write the result into a new array")
        if got.shape != expected.shape:
            raise _Wrong(f"for {case} your output is {_shape(got.shape)}, the valid output is "
                         f"{_shape(expected.shape)}: {_correlate_shape_hint(got.shape, image, kernel)}")
        if _matches(got, expected):
            continue
        if _matches(got, signal.convolve2d(image, kernel, mode="valid")):
            raise _Wrong(f"for {case} you compute a convolution (the kernel flipped by 180°); a convolution "
                         "layer computes the cross-correlation: kernel[k, l] times image[i + k, j + l], "
                         "no flip")
        if got.shape[0] == got.shape[1] and _matches(got.T, expected):
            raise _Wrong(f"for {case} your output is transposed (rows and columns swapped): output[i, j] "
                         "belongs to row i and column j of the image")
        if kernel.shape[0] == kernel.shape[1] and _matches(got, signal.correlate2d(image, kernel.T, "valid")):
            raise _Wrong(f"for {case} you multiply image[i + k, j + l] by kernel[l, k]: the kernel is "
                         "transposed; use kernel[k, l]")
        _refuse_truncated(got, expected, case, "create it with dtype=float (np.zeros(shape))")
        i, j = _first_difference(got, expected)
        where = " (the slide's a'11)" if (i, j) == (0, 0) and count == 1 else ""
        raise _Wrong(f"for {case} your output[{i}, {j}]{where} is {_fmt(got[i, j])}, it should be "
                     f"{_fmt(expected[i, j])}: the sum of kernel * image[{i}:{i + kernel.shape[0]}, "
                     f"{j}:{j + kernel.shape[1]}], element by element")
    return (f"right: the slide's a'11 = -5 and all 4 x 4 outputs, and {count - 1} more images and kernels "
            "you did not see (non-square ones too), match scipy.signal.correlate2d(mode='valid')")


# ----------------------------------------------------------------------------- 03 diagonal_kernel


def _edge_image(angle_deg, size=15, samples=8):
    """A step edge through the centre, dark on one side and bright (1) on the other, at angle_deg
    (0 = horizontal, counter-clockwise on the screen, rows going down), anti-aliased by supersampling."""
    offsets = (np.arange(samples) + 0.5) / samples - 0.5
    rows = (np.arange(size)[:, None] + offsets[None, :]).ravel() - size // 2
    cols = rows.copy()
    theta = np.deg2rad(angle_deg)
    # signed distance to the line through the centre along (cos, -sin) in (col, row) coordinates
    dist = cols[None, :] * np.sin(theta) + rows[:, None] * np.cos(theta)
    fine = (dist > 0).astype(float)
    return fine.reshape(size, samples, size, samples).mean(axis=(1, 3))


_EDGE_NAMES = {0: "horizontal", 90: "vertical", 45: "45° (/)", 135: "135° (\\)"}


@_verdict("diagonal_kernel", "return a 3 x 3 array of weights (np.array([[...], [...], [...]])) that is "
                             "large on one side of a diagonal and negative on the other, summing to 0")
def diagonal_kernel(fn):
    """fn() -> a 3 x 3 kernel that answers diagonal edges (45° or 135°) more than horizontal or
    vertical ones. Reference: the largest |response| of scipy.signal.correlate2d(mode="valid") on
    synthetic anti-aliased step edges at 0°, 45°, 90° and 135°, and on a flat image."""
    from scipy import signal

    case = "fn()"
    kernel = _array2d(_call(fn, (), case), "your kernel")
    if kernel.shape != (3, 3):
        raise _Wrong(f"your kernel is {_shape(kernel.shape)}; a 3 x 3 kernel is due")
    kernel = kernel.astype(float)
    if not np.all(np.isfinite(kernel)):
        raise _Wrong("your kernel holds NaN or infinity; use finite weights")
    if np.all(kernel == 0):
        raise _Wrong("your kernel is all zeros: it answers nothing. Put positive weights on one side of a "
                     "diagonal and negative ones on the other")
    scale = np.abs(kernel).sum()
    if abs(kernel.sum()) > 0.05 * scale:
        raise _Wrong(f"your weights sum to {_fmt(kernel.sum())}, so a flat bright area (no edge at all) "
                     f"gives {_fmt(kernel.sum())} too; an edge detector's weights sum to 0")
    strength = {angle: np.abs(signal.correlate2d(_edge_image(angle), kernel, mode="valid")).max()
                for angle in (0, 45, 90, 135)}
    diagonal = max(45, 135, key=strength.get)
    straight = max(0, 90, key=strength.get)
    ratio = strength[diagonal] / strength[straight] if strength[straight] > 1e-9 else math.inf
    if ratio < 1.2:
        best = max(strength, key=strength.get)
        raise _Wrong(f"your kernel answers a {_EDGE_NAMES[straight]} edge {_fmt(round(strength[straight], 2))} "
                     f"and a {_EDGE_NAMES[diagonal]} edge {_fmt(round(strength[diagonal], 2))}: it finds "
                     f"{_EDGE_NAMES[best]} edges best; a diagonal detector's answer to a diagonal edge should "
                     "be clearly (1.2 x) stronger than to a horizontal or vertical one. Arrange + and - "
                     "weights on the two sides of a diagonal")
    times = "much more than" if math.isinf(ratio) else f"{ratio:.1f} times as strongly as"
    return (f"right: your kernel answers a {_EDGE_NAMES[diagonal]} edge {times} a {_EDGE_NAMES[straight]} "
            "one (largest |response| of scipy.signal.correlate2d on synthetic edges), and ignores flat areas")


# ----------------------------------------------------------------------------- 04 orientation_selectivity


def _osi(angles, responses):
    """Independent reference: 1 - circular variance of the doubled angles, with cos and sin sums."""
    theta = np.deg2rad(2 * np.asarray(angles, dtype=float))
    r = np.asarray(responses, dtype=float)
    total = r.sum()
    if total == 0:
        return 0.0
    return float(np.hypot((r * np.cos(theta)).sum(), (r * np.sin(theta)).sum()) / total)


def _vector(angles, r, double=2, radians=True):
    """|Σ r_k exp(i double θ_k)| with θ in radians (or, by mistake, in degrees)."""
    theta = np.asarray(angles, dtype=float)
    theta = np.deg2rad(theta) if radians else theta
    return abs(np.sum(np.asarray(r, dtype=float) * np.exp(1j * double * theta)))


def _peak_vs_orthogonal(angles, r):
    angles, r = np.asarray(angles, dtype=float), np.asarray(r, dtype=float)
    peak = int(np.argmax(r))
    orth = int(np.argmin(np.abs(((angles - angles[peak]) % 180) - 90)))
    return (r[peak] - r[orth]) / (r[peak] + r[orth])


_OSI_MISTAKES = [
    (lambda a, r: _vector(a, r, double=1) / np.sum(r),
     ("you use the angle itself; orientations repeat every 180° (a bar at 10° is the bar at 190°), so each "
      "response votes for the doubled angle, exp(2iθ)")),
    (lambda a, r: _vector(a, r, radians=False) / np.sum(r),
     "you put degrees into cos/sin/exp, which expect radians: convert with np.deg2rad first"),
    (lambda a, r: _vector(a, r, double=1, radians=False) / np.sum(r),
     "you use the angle in degrees and not doubled: convert with np.deg2rad, then double it"),
    (lambda a, r: _vector(a, r), "you do not divide by the sum of the responses (the normalisation Σ r_k)"),
    (lambda a, r: _vector(a, r) / len(r),
     "you divide by the number of angles; divide by the sum of the responses Σ r_k"),
    (lambda a, r: _vector(a, r) / np.max(r), "you divide by the largest response; divide by their sum Σ r_k"),
    (lambda a, r: 1 - _vector(a, r) / np.sum(r), "you return the circular variance 1 - OSI; the OSI is |z| itself"),
    (lambda a, r: (_vector(a, r) / np.sum(r)) ** 2, "you return |z|² (squared); the OSI is |z|"),
    (lambda a, r: abs(np.sum(r * np.cos(2 * np.deg2rad(a)))) / np.sum(r),
     "you keep only the cosine part; |z| needs both: sqrt((Σ r cos 2θ)² + (Σ r sin 2θ)²) / Σ r"),
    (_peak_vs_orthogonal,
     ("that is the peak-versus-orthogonal index (r_pref - r_orth) / (r_pref + r_orth); the lecture's OSI is "
      "the vector one, |Σ r_k exp(2iθ_k)| / Σ r_k, which uses every angle")),
]


def _same_float(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _osi_cases():
    rng = np.random.default_rng(_SEED)
    angles = np.arange(0, 180, 15.0)
    tuned = np.round(np.maximum(0, 9 * np.cos(np.deg2rad(2 * (angles - 60)))) + 1, 3)
    yield "a unit tuned to 60° (angles 0, 15, ..., 165)", angles, tuned
    sharp = np.zeros_like(angles)
    sharp[3] = 5.0
    yield "a unit that answers at 45° only", angles, sharp
    yield "a unit that answers all angles equally", angles, np.full_like(angles, 2.0)
    wide = np.arange(0, 360, 30.0)
    yield "a unit sampled at 0, 30, ..., 330°", wide, np.round(1 + np.cos(np.deg2rad(2 * (wide - 20))), 3)
    for _ in range(6):
        k = int(rng.integers(4, 25))
        a = np.arange(k) * 180.0 / k
        r = rng.gamma(1.0, 2.0, size=k) * (1 + np.cos(np.deg2rad(2 * (a - rng.uniform(0, 180)))))
        yield f"a random unit ({k} angles)", a, r
    yield "a unit that never answers (all responses 0)", angles, np.zeros_like(angles)


@_verdict("orientation_selectivity",
          "compute z = Σ r_k exp(2iθ_k) / Σ r_k (θ in radians, doubled) and return the OSI |z|")
def orientation_selectivity(fn):
    """fn(angles_deg, responses) -> the OSI of helpers/hubel_wiesel.py's docstring,
    |Σ r_k exp(2iθ_k)| / Σ r_k (0 when all responses are 0). A returned (osi, preferred) pair is
    accepted: then the preferred orientation arg(z) / 2 (mod 180) is checked too. Reference: an
    independent numpy implementation with cos and sin sums."""
    history = []
    for case, angles, responses in _osi_cases():
        got = _call(fn, (angles.copy(), responses.copy()), case)
        preferred = None
        if isinstance(got, (tuple, list)) and len(got) == 2:
            got, preferred = got
        osi = _number(got, case, "the OSI")
        expected = _osi(angles, responses)
        if responses.any():
            history.append(((angles, responses), osi))
        if not responses.any() and math.isnan(osi):
            raise _Wrong(f"for {case} you return nan (0 / 0); a unit that never answers has OSI 0 "
                         "(the docstring's convention): return 0.0 when Σ r_k = 0")
        if not math.isclose(osi, expected, rel_tol=1e-6, abs_tol=1e-9):
            hint = _likely_mistake(_OSI_MISTAKES, history, same=_same_float) if responses.any() else None
            due = f"the OSI is {expected:.4f}"
            raise _Wrong(f"for {case} you return {osi:.4f}, {due}" + (f": {hint}" if hint else
                         ": OSI = |Σ r_k exp(2iθ_k)| / Σ r_k, θ in radians"))
        if preferred is not None and responses.any() and expected > 1e-9:
            theta = np.deg2rad(2 * angles)
            due = np.rad2deg(np.arctan2((responses * np.sin(theta)).sum(), (responses * np.cos(theta)).sum())) / 2 % 180
            pref = _number(preferred, case, "the preferred orientation")
            gap = abs((pref - due + 90) % 180 - 90)
            if gap > 1e-6:
                raise _Wrong(f"for {case} your OSI is right but the preferred orientation is {pref:.2f}°, "
                             f"it should be {due:.2f}°: arg(z) / 2, in degrees, modulo 180")
    return (f"right: OSI 1 for a unit that answers one angle, 0 for one that answers all equally, and "
            f"the same values as an independent computation on {len(history) - 2} more tuning curves")


# ----------------------------------------------------------------------------- 05 output_size


def _positions(n, f, p, s):
    """Independent reference: count the windows numpy's sliding_window_view finds in the padded input."""
    padded = np.zeros(n + 2 * p)
    return int(np.lib.stride_tricks.sliding_window_view(padded, f)[::s].shape[0])


def _output_size_cases():
    yield from [(6, 3, 0, 1), (6, 3, 1, 1), (7, 3, 0, 2), (6, 3, 0, 2), (5, 3, 1, 2), (224, 3, 1, 1),
                (32, 5, 2, 1), (28, 2, 0, 2), (227, 11, 0, 4)]
    rng = np.random.default_rng(_SEED)
    for _ in range(40):
        n, p, s = int(rng.integers(1, 40)), int(rng.integers(0, 4)), int(rng.integers(1, 5))
        f = int(rng.integers(1, n + 2 * p + 1))
        yield n, f, p, s


_OUTPUT_SIZE_MISTAKES = [
    (lambda n, f, p, s: (n + 2 * p - f) // s,
     "you count the steps between positions, not the positions: add 1"),
    (lambda n, f, p, s: (n + p - f) // s + 1,
     "you pad one side only: padding adds p pixels on each side, n + 2p"),
    (lambda n, f, p, s: (n - f) // s + 1, "you leave out the padding p: the padded input is n + 2p wide"),
    (lambda n, f, p, s: (n + 2 * p - f) + 1,
     "you leave out the stride: the filter jumps s pixels, so divide (n + 2p - f) by s"),
    (lambda n, f, p, s: -(-(n + 2 * p - f) // s) + 1,
     "you round up; a window that runs past the edge does not count: round down (//)"),
    (lambda n, f, p, s: (n + 2 * p - f + 1) // s, "divide only n + 2p - f by s, then add 1"),
    (lambda n, f, p, s: (n + 2 * p - f) // s + 2,
     "one too many: the last window must fit inside the (padded) input"),
    (lambda n, f, p, s: (n + 2 * p + f) // s + 1, "subtract f: the window needs f pixels of room"),
    (lambda n, f, p, s: (n - 2 * p - f) // s + 1,
     "padding makes the input bigger: add 2p, do not subtract it"),
]


def _output_size_reason(n, f, p, s, due):
    """Why `due` is right, in the lecture's terms."""
    if p == 0 and s == 1:
        return f"a {f} x {f} filter fits n - f + 1 = {n} - {f} + 1 = {due} times"
    if s == 1:
        return (f"a {f} x {f} filter fits n + 2p - f + 1 = {n} + {2 * p} - {f} + 1 = {due} times in the "
                "padded input")
    return (f"with stride {s} a {f} x {f} filter fits ⌊(n + 2p - f) / s⌋ + 1 = "
            f"⌊{n + 2 * p - f} / {s}⌋ + 1 = {due} times")


@_verdict("output_size", "return the side of the output, an int, from n, f, p and s "
                         "(how many positions the window takes)")
def output_size(fn):
    """fn(n, f, p, s) -> int, the output side for an n x n input, f x f filter, padding p, stride s.

    Reference: the number of windows numpy's sliding_window_view finds in the padded input, taking every
    s-th; on the lecture's examples (6 x 6 with a 3 x 3 filter, padding 1, stride 2, VGG's 224 with
    "same" padding, AlexNet's 227 with 11 x 11 stride 4) and on 40 random cases.
    """
    history = []
    for n, f, p, s in _output_size_cases():
        case = f"n = {n}, f = {f}, p = {p}, s = {s}"
        due = _positions(n, f, p, s)
        got = _integer(_call(fn, (n, f, p, s), case), case, "a number of positions",
                       fix="use floor division //, not /")
        history.append(((n, f, p, s), got))
        if got != due:
            hint = _likely_mistake(_OUTPUT_SIZE_MISTAKES, history)
            raise _Wrong(f"for {case} you return {got}; {_output_size_reason(n, f, p, s, due)}"
                         + (f" ({hint})" if hint else ""))
    count = len(history)
    return (f"right on all {count} cases: the lecture's 6 x 6 with a 3 x 3 filter (4, or 6 with p = 1), "
            "strides that do not divide evenly (rounded down), and 40 random ones")


# ----------------------------------------------------------------------------- 06 max_pool


def _pool_reference(x, size):
    """Independent reference: crop to whole blocks, reshape to (rows, size, cols, size), numpy's max."""
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return x[:rows * size, :cols * size].reshape(rows, size, cols, size).max(axis=(1, 3))


def _pool_cases():
    yield "the lecture's 4 x 4 example, size 2", np.array(
        [[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], dtype="float32"), 2
    rng = np.random.default_rng(_SEED)
    yield "a 6 x 6 input, size 3", rng.integers(0, 10, size=(6, 6)).astype(float), 3
    yield "a 5 x 5 input, size 2 (one row and one column left over)", rng.integers(0, 10, size=(5, 5)).astype(float), 2
    yield "a 4 x 6 input, size 2", rng.integers(0, 10, size=(4, 6)).astype(float), 2
    yield "an all-negative 4 x 4 input, size 2", -rng.integers(1, 10, size=(4, 4)).astype(float), 2
    for _ in range(8):
        size = int(rng.integers(1, 5))
        rows, cols = rng.integers(size, 13, size=2)
        x = np.round(rng.normal(size=(rows, cols)), 2)
        yield f"a random {_shape(x.shape)} input, size {size}", x, size


@_verdict("max_pool", "return the max-pooled array: for each size x size block (stride = size, no "
                      "padding), the largest value")
def max_pool(fn):
    """fn(x2d, size) -> the 2-D max-pooled array, window size x size, stride = size, no padding (rows and
    columns that do not fill a window are dropped). Reference: numpy's max over the input cropped to
    whole blocks and reshaped to (rows, size, cols, size); the lecture's 4 x 4 example and random ones,
    negative values too."""
    count = 0
    for case, x, size in _pool_cases():
        count += 1
        given = x.copy()
        got = _array2d(_call(fn, (given, size), case), case)
        if not np.array_equal(given, x):
            raise _Wrong(f"for {case} your function changed its input; write the result into a new array")
        due = _pool_reference(x, size)
        (rows, cols), (d_r, d_c) = x.shape, due.shape
        if got.shape != due.shape:
            why = (f"a {size} x {size} window with stride {size} fits ⌊{rows} / {size}⌋ = {d_r} times down "
                   f"and ⌊{cols} / {size}⌋ = {d_c} across")
            if size > 1 and got.shape == (rows - size + 1, cols - size + 1):
                why = (f"your windows overlap (they move by 1); max-pooling here moves the window by its "
                       f"size (stride = size = {size}), so the blocks do not overlap: " + why)
            elif got.shape == (-(-rows // size), -(-cols // size)):
                why = ("you pool the leftover edge too; without padding, rows and columns that do not fill "
                       "a whole window are dropped: " + why)
            elif got.shape == x.shape:
                why = "that is the input's size; pooling shrinks it: " + why
            elif got.shape == due.shape[::-1]:
                why = "rows and columns swapped: " + why
            elif size != 2 and got.shape == (rows // 2, cols // 2):
                why = f"you always use a 2 x 2 window; use size = {size}: " + why
            raise _Wrong(f"for {case} your output is {_shape(got.shape)}, it should be {_shape(due.shape)}: {why}")
        if _matches(got, due):
            continue
        blocks = x[:d_r * size, :d_c * size].reshape(d_r, size, d_c, size)
        if _matches(got, blocks.mean(axis=(1, 3))):
            raise _Wrong(f"for {case} you take the mean of each window (average pooling); max-pooling "
                         "keeps the largest value")
        if _matches(got, blocks.min(axis=(1, 3))):
            raise _Wrong(f"for {case} you keep the smallest value of each window; max-pooling keeps the largest")
        if _matches(got, blocks.sum(axis=(1, 3))):
            raise _Wrong(f"for {case} you add up each window; max-pooling keeps the largest value")
        if d_r == d_c and _matches(got.T, due):
            raise _Wrong(f"for {case} your output is transposed (rows and columns swapped): output[i, j] "
                         "belongs to the block in row i, column j")
        if np.all(x < 0) and np.allclose(got, 0):
            raise _Wrong(f"for {case} you return zeros: your maximum starts at 0, bigger than every value "
                         "here; start from the window's own values (window.max()) or -inf")
        _refuse_truncated(got, due, case, "make it a float array")
        i, j = _first_difference(got, due)
        raise _Wrong(f"for {case} your output[{i}, {j}] is {_fmt(got[i, j])}, it should be {_fmt(due[i, j])}, "
                     f"the largest value of x[{i * size}:{(i + 1) * size}, {j * size}:{(j + 1) * size}]")
    return (f"right: the lecture's 4 x 4 gives [[9, 2], [6, 3]], and {count - 1} more inputs (leftover "
            "edges, negative values, sizes 1 to 4) match numpy's max over each block")


# ----------------------------------------------------------------------------- 06 receptive_field


def _measured_field(layers):
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


_FIELD_MISTAKES = [
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
]


_VGG16 = [(3, 1), (3, 1), (2, 2)] * 2 + [(3, 1), (3, 1), (3, 1), (2, 2)] * 3


def _field_cases():
    yield "two 3 x 3 convolutions, [(3, 1), (3, 1)]", [(3, 1), (3, 1)]
    yield "three 3 x 3 convolutions", [(3, 1)] * 3
    yield "conv 3 x 3, pool 2 x 2 stride 2, conv 3 x 3: [(3, 1), (2, 2), (3, 1)]", [(3, 1), (2, 2), (3, 1)]
    yield "VGG16's 13 convolutions and 5 poolings", list(_VGG16)
    yield "one 5 x 5 convolution with stride 2", [(5, 2)]
    rng = np.random.default_rng(_SEED)
    for _ in range(12):
        k = int(rng.integers(2, 6))
        layers = []
        for _ in range(k):
            f = int(rng.integers(1, 6))
            layers.append((f, int(rng.integers(1, f + 1)) if f > 1 else 1))
        yield f"the stack {layers}", layers


@_verdict("receptive_field", "go through the layers in order, keeping the field r (start 1) and the jump j "
                             "(start 1): each layer adds (f - 1) x j to r, then multiplies j by its stride")
def receptive_field(fn):
    """fn(layers) -> the receptive-field side of the last layer, layers a list of (f, s) pairs, first
    layer first. Reference: measured with impulses through box filters (numpy), not the recursion;
    cases: the lecture's stacks, VGG16's 212 and random stacks with strides (s <= f)."""
    history = []
    for case, layers in _field_cases():
        got = _integer(_call(fn, ([tuple(layer) for layer in layers],), case), case, "the receptive field")
        due = _measured_field(layers)
        history.append(((layers,), got))
        if got != due:
            hint = _likely_mistake(_FIELD_MISTAKES, history)
            raise _Wrong(f"for {case} you return {got}; one unit of the last layer sees {due} x {due} input "
                         "pixels" + (f" ({hint})" if hint else ""))
    return (f"right: two 3 x 3 convolutions see 5 x 5, VGG16's last pooling 212 x 212, and {len(history) - 5} "
            "random stacks with strides agree with a measurement (an impulse through the stack)")


# ----------------------------------------------------------------------------- 08 vgg_block_params


def _keras_block_params(c_in, c_out, n_convs, f):
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


_BLOCK_MISTAKES = [
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, bias=0),
     "you leave out the biases: each of the c_out filters has one bias"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, first=c_in),
     ("only the first convolution sees c_in channels; the others see the c_out channels of the "
      "convolution before them")),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, 1, f), "you count one convolution; the block has n_convs of them"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, weights=lambda f, c: f * f),
     "a filter has f x f weights for EACH input channel: f x f x c_in"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, weights=lambda f, c: f * c),
     "an f x f filter has f x f (not f) weights per input channel"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, 3), "you always use 3 x 3; use f"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f) - (n - 1) * c_out,
     "one bias per filter, in every convolution of the block"),
    (lambda c_in, c_out, n, f=3: _block(c_in, c_out, n, f, bias=c_in),
     "one bias per filter (c_out biases per convolution), not one per input channel"),
]


def _block_cases():
    yield "VGG16's block 1 (c_in = 3, c_out = 64, n_convs = 2)", (3, 64, 2), 3
    yield "VGG16's block 3 (c_in = 128, c_out = 256, n_convs = 3)", (128, 256, 3), 3
    yield "VGG16's block 5 (c_in = 512, c_out = 512, n_convs = 3)", (512, 512, 3), 3
    yield "c_in = 1, c_out = 8, n_convs = 1, f = 5", (1, 8, 1), 5
    yield "c_in = 16, c_out = 4, n_convs = 2, f = 1", (16, 4, 2), 1
    rng = np.random.default_rng(_SEED)
    for _ in range(5):
        c_in, c_out, n = (int(v) for v in (rng.integers(1, 65), rng.integers(1, 65), rng.integers(1, 5)))
        f = int(rng.choice([1, 3, 5, 7]))
        yield f"c_in = {c_in}, c_out = {c_out}, n_convs = {n}, f = {f}", (c_in, c_out, n), f


@_verdict("vgg_block_params", "return the number of weights and biases of n_convs f x f convolutions: "
                              "the first sees c_in channels, the next ones c_out")
def vgg_block_params(fn):
    """fn(c_in, c_out, n_convs, f=3) -> the parameters of one VGG block (n_convs f x f convolutions with
    c_out filters each, biases included; the pooling has none). Reference: Keras' count_params() of the
    same Conv2D layers; VGG16's blocks 1, 3 and 5 and random blocks with f = 1, 3, 5, 7."""
    history = []
    for case, args, f in _block_cases():
        args = args if f == 3 else (*args, f)
        got = _integer(_call(fn, args, case), case, "a parameter count")
        due = _keras_block_params(*args[:3], f)
        history.append((args, got))
        if got != due:
            hint = _likely_mistake(_BLOCK_MISTAKES, history)
            raise _Wrong(f"for {case} you return {got:,}; Keras counts {due:,}"
                         + (f" ({hint})" if hint else " (per convolution: f x f x channels in x c_out "
                            "weights + c_out biases)"))
    return (f"right: VGG16's block 1 has 38,720 parameters, and all {len(history)} blocks agree with Keras' "
            "count_params()")


# ----------------------------------------------------------------------------- 07 smaller_cnn


def _xy(pair, name):
    try:
        x, y = pair
        x, y = np.asarray(x), np.asarray(y)
    except (TypeError, ValueError):
        raise _BadArgument(f"{name} must be an (x, y) pair of arrays, got {type(pair).__name__}") from None
    if len(x) != len(y) or len(x) == 0:
        raise _BadArgument(f"{name}: x and y must hold the same positive number of examples, got {len(x)} and {len(y)}")
    return x, y


@_verdict("smaller_cnn", "return an uncompiled Keras model for (28, 28, 1) images and 10 classes with "
                         "fewer parameters than the baseline (fewer or narrower layers, a pooling earlier)")
def smaller_cnn(build_fn, baseline_params, baseline_accuracy, train, val, epochs, tolerance=0.01, *,
                batch_size=64, learning_rate=2e-3):
    """build_fn() -> an uncompiled Keras model, (28, 28, 1) -> 10 class probabilities. Passes when it has
    fewer parameters than ``baseline_params`` and, trained like the baseline (seeded, then
    helpers.fit_classifier with the same epochs, ``batch_size`` and ``learning_rate``), reaches a
    validation accuracy (argmax of its
    predictions on ``val`` = (x, y)) of at least ``baseline_accuracy - tolerance``. The passing line
    names no accuracy (a float that moves in its last digit between CPUs), so nbval can compare it."""
    import keras

    from .config import SEED
    from .models import fit_classifier

    (x_train, y_train), (x_val, y_val) = _xy(train, "train"), _xy(val, "val")
    if not (isinstance(baseline_params, Integral) and baseline_params > 0):
        raise _BadArgument(f"baseline_params must be a positive int, got {baseline_params!r}")
    if not (isinstance(baseline_accuracy, Real) and 0 <= baseline_accuracy <= 1):
        raise _BadArgument(f"baseline_accuracy must be a fraction in [0, 1], got {baseline_accuracy!r}")
    if not (isinstance(epochs, Integral) and epochs > 0):
        raise _BadArgument(f"epochs must be a positive int, got {epochs!r}")
    keras.utils.set_random_seed(SEED)
    case = "build_fn()"
    model = _call(build_fn, (), case)
    _no_return(model, case)
    if not isinstance(model, keras.Model):
        raise _Wrong(f"your function returns {_returned(model)} ({type(model).__name__}), not a Keras model: "
                     "return keras.Sequential([keras.Input((28, 28, 1)), ...])")
    try:
        probe = np.asarray(model(np.zeros((2, 28, 28, 1), dtype="float32")))
    except Exception as exc:  # noqa: BLE001 (the student's model)
        raise _Wrong(f"your model cannot take a batch of (28, 28, 1) images ({type(exc).__name__}: "
                     f"{str(exc).splitlines()[0] if str(exc) else ''}); "
                     "start it with keras.Input((28, 28, 1))") from None
    if probe.shape != (2, 10):
        raise _Wrong(f"for a batch of 2 images your model gives shape {probe.shape}; it must give 10 class "
                     "probabilities per image: end with Flatten (if needed) and Dense(10, activation='softmax')")
    if np.any(probe < 0) or not np.allclose(probe.sum(axis=1), 1, atol=1e-3):
        raise _Wrong("your model's outputs are not probabilities (they do not sum to 1); its last layer must "
                     "have activation='softmax'")
    params = int(model.count_params())
    if params >= baseline_params:
        raise _Wrong(f"your model has {params:,} parameters, the baseline {baseline_params:,}: it must have "
                     "fewer (narrower convolutions, a smaller dense layer, or a pooling before the Dense layer)")
    try:
        fit_classifier(model, x_train, y_train, epochs, batch_size, learning_rate)
        predicted = np.argmax(model.predict(x_val, verbose=0), axis=1)
    except Exception as exc:  # noqa: BLE001 (the student's model)
        raise _Wrong(f"training your model failed ({type(exc).__name__}: "
                     f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    accuracy = float(np.mean(predicted == y_val))
    share = f"{params:,} parameters, {params / baseline_params:.0%} of the baseline's {baseline_params:,}"
    if accuracy < baseline_accuracy - tolerance:
        raise _Wrong(f"your model has {share}, but after {epochs} epoch{'s' * (epochs != 1)} it reaches "
                     f"{accuracy:.1%} validation "
                     f"accuracy, more than {100 * tolerance:.1f} percentage points below the baseline's "
                     f"{baseline_accuracy:.1%}: keep "
                     "enough filters for the first layers, or put the savings where the parameters are "
                     "(the Dense layer after Flatten)")
    return (f"right: your model has {share}, and trained the same way for {epochs} "
            f"epoch{'s' * (epochs != 1)} it keeps the "
            f"baseline's validation accuracy (within {100 * tolerance:g} percentage points)")


# ----------------------------------------------------------------------------- 01 dense_image_params


def _keras_dense_params(h, w, c, units):
    """Independent reference: Keras builds Flatten + Dense(units) on an (h, w, c) image and counts."""
    import keras

    model = keras.Sequential([keras.Input((h, w, c)), keras.layers.Flatten(), keras.layers.Dense(units)])
    return int(model.count_params())


_DENSE_MISTAKES = [
    (lambda h, w, c, u: h * w * c * u, "you leave out the biases: each of the units has one bias"),
    (lambda h, w, c, u: h * w * u + u, "you leave out the channels: every pixel has c numbers (c = 3 for RGB)"),
    (lambda h, w, c, u: 2 * h * w * c * u, "one bias per unit, not one per weight"),
    (lambda h, w, c, u: (h * w * c + 1) * u + u, "one bias per unit, counted once"),
    (lambda h, w, c, u: h * w * c + u, "every input is connected to every unit: multiply inputs by units"),
]


def _dense_cases():
    yield "the lecture's 200 x 200 grayscale image into 40,000 units", (200, 200, 1, 40_000), True
    yield "the lecture's 200 x 200 RGB image into 120,000 units", (200, 200, 3, 120_000), True
    yield "a 28 x 28 digit into 128 units", (28, 28, 1, 128), False
    rng = np.random.default_rng(_SEED)
    for _ in range(5):
        h, w, c, u = (int(v) for v in (rng.integers(1, 33), rng.integers(1, 33), rng.integers(1, 4),
                                       rng.integers(1, 65)))
        yield f"a {h} x {w} x {c} image into {u} units", (h, w, c, u), False


@_verdict("dense_image_params", "return the number of weights and biases of one Dense(units) layer on "
                                "the flattened height x width x channels image")
def dense_image_params(fn):
    """fn(height, width, channels, units) -> int, the parameters of Dense(units) on the flattened image
    (one weight per input and unit, one bias per unit). Reference: Keras' count_params() of Flatten +
    Dense on small images; the lecture's 200 x 200 cases (too big to build: 6.4 GB) by exact integers
    with the bias as one more input, (h w c + 1) x units."""
    history = []
    for case, (h, w, c, u), big in _dense_cases():
        got = _integer(_call(fn, (h, w, c, u), case), case, "a parameter count",
                       fix="multiply ints (no / and no **0.5): return an int")
        due = (h * w * c + 1) * u if big else _keras_dense_params(h, w, c, u)
        history.append(((h, w, c, u), got))
        if got != due:
            hint = _likely_mistake(_DENSE_MISTAKES, history)
            raise _Wrong(f"for {case} you return {got:,}; it has {due:,}: h x w x c inputs times "
                         "units weights, plus one bias per unit" + (f" ({hint})" if hint else ""))
    return ("right: 1,600,040,000 parameters for the lecture's grayscale 200 x 200 image, "
            f"14,400,120,000 in colour, and {len(history) - 2} more layers agree with Keras' count_params()")


# ----------------------------------------------------------------------------- 01 locate_pattern


def _brute_force_match(image, pattern):
    """Independent reference: every place where the image equals the pattern exactly."""
    h, w = pattern.shape
    return [(r, c) for r in range(image.shape[0] - h + 1) for c in range(image.shape[1] - w + 1)
            if np.array_equal(image[r:r + h, c:c + w], pattern)]


def _pattern_cases():
    rng = np.random.default_rng(_SEED)
    sizes = [(28, 28, 5, 5), (28, 28, 5, 5), (12, 20, 3, 4), (20, 12, 4, 3), (9, 9, 2, 2), (15, 15, 1, 1)]
    for rows, cols, h, w in sizes:
        pattern = rng.integers(0, 2, size=(h, w)).astype(float)
        pattern[0, 0] = pattern[-1, -1] = 1.0                 # the pattern spans its whole box
        image = np.zeros((rows, cols))
        r, c = int(rng.integers(0, rows - h + 1)), int(rng.integers(0, cols - w + 1))
        image[r:r + h, c:c + w] = pattern
        yield f"a {h} x {w} pattern in a {rows} x {cols} image", image, pattern


@_verdict("locate_pattern", "slide the pattern over the image (the valid cross-correlation) and return "
                            "(row, col) of the top-left corner where it answers most")
def locate_pattern(fn):
    """fn(image, pattern) -> (row, col), the top-left corner of the one place where the 0/1 pattern sits
    in an otherwise zero image. Reference: an exact brute-force comparison at every position."""
    count = 0
    for case, image, pattern in _pattern_cases():
        count += 1
        got = _call(fn, (image.copy(), pattern.copy()), case)
        _no_return(got, case)
        (due,) = _brute_force_match(image, pattern)
        try:
            row, col = (int(v) for v in got)
            if any(float(v) != int(v) for v in got):
                raise ValueError
        except (TypeError, ValueError):
            hint = " (np.argmax gives a flat index: np.unravel_index turns it into (row, col))" \
                if isinstance(got, Integral) else ""
            raise _Wrong(f"for {case} you return {_returned(got)}; a (row, col) pair of ints is due{hint}") from None
        h, w = pattern.shape
        if (row, col) == due:
            continue
        if (col, row) == due:
            why = "(col, row) swapped: the first number is the row (down), the second the column (across)"
        elif (row, col) == (due[0] + h // 2, due[1] + w // 2):
            why = "that is the centre of the pattern; the exercise asks for its top-left corner"
        else:
            why = "the pattern's top-left pixel is at that row and column"
        raise _Wrong(f"for {case} you return ({row}, {col}); the pattern sits at {due}: {why}")
    return (f"right: the pattern was found at its exact place in all {count} images "
            "(checked against an exact comparison at every position)")


# ----------------------------------------------------------------------------- 03 line_kernel


def _line_responses(kernel):
    """Largest |response| (scipy, valid) of the kernel to a one-pixel bright horizontal line, a horizontal
    step edge and a one-pixel vertical line, each on a dark 9 x 9 background."""
    from scipy import signal

    line = np.pad(np.ones((1, 9)), ((4, 4), (0, 0)))
    edge = np.vstack([np.zeros((4, 9)), np.ones((5, 9))])
    vertical = line.T
    return {name: float(np.abs(signal.correlate2d(img, kernel, mode="valid")).max())
            for name, img in (("line", line), ("edge", edge), ("vertical", vertical))}


@_verdict("line_kernel", "return a 3 x 3 array: a positive middle row between negative rows, summing to 0")
def line_kernel(fn):
    """fn() -> a 3 x 3 kernel that finds thin horizontal lines (a bright one-pixel row) more than
    horizontal step edges and vertical lines, and answers 0 on a flat image. Reference: the largest
    |response| of scipy.signal.correlate2d(mode="valid") on synthetic 9 x 9 images."""
    case = "fn()"
    kernel = _array2d(_call(fn, (), case), "your kernel")
    if kernel.shape != (3, 3):
        raise _Wrong(f"your kernel is {_shape(kernel.shape)}; a 3 x 3 kernel is due")
    kernel = kernel.astype(float)
    if not np.all(np.isfinite(kernel)) or np.all(kernel == 0):
        raise _Wrong("your kernel is all zeros or not finite: it cannot find anything")
    if abs(kernel.sum()) > 0.05 * np.abs(kernel).sum():
        raise _Wrong(f"your weights sum to {_fmt(kernel.sum())}, so a flat bright area gives "
                     f"{_fmt(kernel.sum())} too; a line detector's weights sum to 0")
    got = _line_responses(kernel)
    if got["vertical"] >= got["line"]:
        raise _Wrong(f"your kernel answers a vertical line {_fmt(round(got['vertical'], 2))} and a "
                     f"horizontal one {_fmt(round(got['line'], 2))}: it finds vertical lines (transposed?); "
                     "put the positive weights in the middle ROW")
    if got["edge"] >= got["line"]:
        raise _Wrong(f"your kernel answers a horizontal step edge {_fmt(round(got['edge'], 2))}, as much as a "
                     f"thin line ({_fmt(round(got['line'], 2))}): it is an edge detector. A line is bright "
                     "in the middle and dark on BOTH sides: negative rows above and below a positive one")
    return (f"right: your kernel answers a thin horizontal line {_fmt(round(got['line'], 2))}, a step edge "
            f"only {_fmt(round(got['edge'], 2))}, a vertical line {_fmt(round(got['vertical'], 2))}, and a "
            "flat area 0 (scipy.signal.correlate2d on synthetic images)")


# ----------------------------------------------------------------------------- 04 preferred_orientation


def _preferred(angles, responses):
    """Independent reference: the doubled-angle mean direction, with arctan2 of the sin and cos sums."""
    theta = np.deg2rad(2 * np.asarray(angles, dtype=float))
    r = np.asarray(responses, dtype=float)
    return float(np.rad2deg(np.arctan2((r * np.sin(theta)).sum(), (r * np.cos(theta)).sum())) / 2 % 180)


def _gap180(a, b):
    return abs((a - b + 90) % 180 - 90)


_PREFERRED_MISTAKES = [
    (lambda a, r: float(np.rad2deg(np.angle(np.sum(r * np.exp(1j * np.deg2rad(a)))))) % 180,
     "you use the angle itself; orientations repeat every 180°, so each response votes for exp(2iθ)"),
    (lambda a, r: float(np.rad2deg(np.angle(np.sum(r * np.exp(2j * np.deg2rad(a)))))) % 360,
     "you forget to halve: the vote was for the doubled angle, so the preferred orientation is arg(z) / 2"),
    (lambda a, r: float(np.rad2deg(np.angle(np.sum(r * np.exp(2j * np.deg2rad(a))))) / 2),
     "your answer is negative: take it modulo 180 (% 180) so that it lies in [0, 180)"),
    (lambda a, r: float(np.asarray(a)[np.argmax(r)]),
     ("you return the angle of the largest response (argmax); the preferred orientation averages every "
      "response: arg(Σ r_k exp(2iθ_k)) / 2")),
]


def _preferred_cases():
    angles = np.arange(0, 180, 15.0)
    yield "a unit tuned to 60°", angles, np.round(np.maximum(0, 9 * np.cos(np.deg2rad(2 * (angles - 60)))) + 1, 3)
    yield "a unit tuned to 170°", angles, np.round(2 + np.cos(np.deg2rad(2 * (angles - 170))), 3)
    skewed = np.array([0, 0, 1, 6, 5, 4, 3, 2, 1, 0, 0, 0], dtype=float)
    yield "a skewed tuning curve", angles, skewed
    rng = np.random.default_rng(_SEED)
    for _ in range(6):
        k = int(rng.integers(6, 25))
        a = np.arange(k) * 180.0 / k
        r = rng.gamma(1.0, 2.0, size=k) * (1.2 + np.cos(np.deg2rad(2 * (a - rng.uniform(0, 180)))))
        yield f"a random unit ({k} angles)", a, r


@_verdict("preferred_orientation", "compute z = Σ r_k exp(2iθ_k) (θ in radians) and return "
                                   "arg(z) / 2 in degrees, modulo 180")
def preferred_orientation(fn):
    """fn(angles_deg, responses) -> the preferred orientation in degrees, in [0, 180): half the angle of
    Σ r_k exp(2iθ_k) (helpers/hubel_wiesel.py's docstring). Reference: an independent numpy computation
    with arctan2 of the sine and cosine sums; tolerance 1e-6 degrees, modulo 180."""
    history = []
    for case, angles, responses in _preferred_cases():
        got = _number(_call(fn, (angles.copy(), responses.copy()), case), case, "the preferred orientation")
        due = _preferred(angles, responses)
        history.append(((angles, responses), got))
        if not (0 <= got < 180 and _gap180(got, due) < 1e-6):
            hint = _likely_mistake(_PREFERRED_MISTAKES, history, same=lambda a, b: abs(float(a) - float(b)) < 1e-6)
            if hint is None and _gap180(got, due) < 1e-6:
                hint = "the right orientation, but outside [0, 180): take it modulo 180"
            raise _Wrong(f"for {case} you return {got:.2f}°; the preferred orientation is {due:.2f}°"
                         + (f" ({hint})" if hint else ": arg(Σ r_k exp(2iθ_k)) / 2, in degrees, modulo 180"))
    return (f"right: 60° for the unit tuned to 60°, 170° (not -10°) for the one tuned to 170°, and "
            f"{len(history) - 2} more curves agree with an independent computation")


# ----------------------------------------------------------------------------- 05 same_padding


def _keras_same_pads(n, f, s):
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


_SAME_MISTAKES = [
    (lambda n, f, s: ((f - 1) // 2, (f - 1) // 2),
     ("you pad (f - 1) // 2 on each side, right for stride 1 only; with stride s the output has ⌈n / s⌉ "
      "positions, so the total is max((⌈n / s⌉ - 1) s + f - n, 0)")),
    (lambda n, f, s: ((f - 1) - (f - 1) // 2, (f - 1) // 2),
     "the extra pixel goes after (bottom/right) in TensorFlow, not before"),
]


def _same_cases():
    yield from [(6, 3, 1), (6, 3, 2), (5, 3, 2), (7, 2, 1), (224, 3, 1), (6, 1, 2), (5, 4, 3), (4, 5, 1)]
    rng = np.random.default_rng(_SEED)
    for _ in range(8):
        yield int(rng.integers(1, 20)), int(rng.integers(1, 7)), int(rng.integers(1, 4))


@_verdict("same_padding", "return (before, after): total = max((⌈n / s⌉ - 1) * s + f - n, 0), "
                          "before = total // 2, after = total - before")
def same_padding(fn):
    """fn(n, f, s) -> (before, after), the zeros Keras/TensorFlow's padding="same" adds before (top/left)
    and after (bottom/right) an n-pixel side for an f x f filter with stride s. Reference: Keras' "same"
    convolution matched by explicit zero padding and a valid convolution (numpy)."""
    history = []
    for n, f, s in _same_cases():
        case = f"n = {n}, f = {f}, s = {s}"
        got = _call(fn, (n, f, s), case)
        _no_return(got, case)
        try:
            before, after = got
        except (TypeError, ValueError):
            raise _Wrong(f"for {case} you return {_returned(got)}; a (before, after) pair is due") from None
        before = _integer(before, case, "a number of zeros")
        after = _integer(after, case, "a number of zeros")
        due = _keras_same_pads(n, f, s)
        history.append(((n, f, s), (before, after)))
        if (before, after) != due:
            total = due[0] + due[1]
            hint = _likely_mistake(_SAME_MISTAKES, history)
            if hint is None and (after, before) == due:
                hint = "the extra pixel goes after (bottom/right) in TensorFlow, not before"
            if hint is None and before + after < 0:
                hint = "padding is never negative: max(..., 0)"
            raise _Wrong(f"for {case} you return ({before}, {after}); Keras pads {due}: the output has "
                         f"⌈{n} / {s}⌉ = {-(-n // s)} positions, which need {total} zero(s) in all"
                         + (f" ({hint})" if hint else ""))
    return (f"right: n = 6, f = 3, s = 2 needs (0, 1), an odd total with an odd f, and all {len(history)} "
            "cases match what Keras' padding='same' does")


# ----------------------------------------------------------------------------- 07 confusion_matrix


def _confusion_cases():
    rng = np.random.default_rng(_SEED)
    yield "three examples of 2 classes", np.array([0, 1, 1]), np.array([0, 0, 1]), 2
    y = rng.integers(0, 10, size=300)
    pred = np.where(rng.random(300) < 0.8, y, rng.integers(0, 10, size=300))
    yield "300 digits, 10 classes", y, pred, 10
    y = rng.integers(0, 4, size=40)
    yield "a class that never occurs (class 4 of 5)", y, np.where(rng.random(40) < 0.5, y, 4), 5
    yield "a class never predicted (class 2 of 3)", np.array([0, 1, 2, 2, 1]), np.array([0, 1, 1, 0, 1]), 3
    yield "a class that is neither true nor predicted (class 3 of 4)", np.array([0, 1, 2, 2]), np.array([0, 2, 1, 2]), 4


@_verdict("confusion_matrix", "return an n_classes x n_classes int array whose entry (i, j) counts the "
                              "examples of true class i predicted as j")
def confusion_matrix(fn):
    """fn(y_true, y_pred, n_classes) -> an (n_classes, n_classes) int array, entry (i, j) = the number
    of examples of true class i predicted as class j. Reference:
    sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(n_classes))."""
    from sklearn.metrics import confusion_matrix as reference

    count = 0
    for case, y_true, y_pred, k in _confusion_cases():
        count += 1
        got = _array2d(_call(fn, (y_true.copy(), y_pred.copy(), k), case), case)
        due = reference(y_true, y_pred, labels=list(range(k)))
        if got.shape != due.shape:
            raise _Wrong(f"for {case} your matrix is {_shape(got.shape)}, it should be {_shape(due.shape)}: one "
                         "row and one column per class, also for a class that never occurs (use n_classes, "
                         "not np.unique)")
        if np.array_equal(got, due):
            if not np.issubdtype(got.dtype, np.integer):
                raise _Wrong(f"for {case} your counts are right but {got.dtype}; counts are ints (dtype=int)")
            continue
        if np.array_equal(got, due.T):
            why = "it is transposed: rows are the true classes, columns the predicted ones"
        elif (np.allclose(got, due / max(len(y_true), 1))
              or np.allclose(got, due / np.maximum(due.sum(1, keepdims=True), 1))):
            why = "you return fractions; the entries are counts"
        elif got.sum() < due.sum():
            why = (f"your entries add up to {_fmt(got.sum())}, not to the {len(y_true)} examples: "
                   "`cm[y_true, y_pred] += 1` counts a repeated pair once; use np.add.at or a loop")
        else:
            i, j = _first_difference(got, due)
            why = f"entry ({i}, {j}) is {_fmt(got[i, j])}, it should be {due[i, j]}"
        raise _Wrong(f"for {case} your matrix is wrong: {why}")
    return f"right: all {count} cases match sklearn.metrics.confusion_matrix, missing classes included"


# ----------------------------------------------------------------------------- 08 conv_as_dense


def _dense_reference(kernel, n, s):
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
    rng = np.random.default_rng(_SEED)
    yield "the slide's 3 x 3 filter on a 6 x 6 image, s = 1", np.array([[1, 0, -1]] * 3, dtype=float), 6, 1
    yield "a random 3 x 3 kernel, n = 6, s = 2", np.round(rng.normal(size=(3, 3)), 2), 6, 2
    yield "a random 3 x 3 kernel, n = 7, s = 2", np.round(rng.normal(size=(3, 3)), 2), 7, 2
    for _ in range(3):
        f = int(rng.integers(1, 5))
        n, s = int(rng.integers(f, 9)), int(rng.integers(1, 3))
        yield f"a random {f} x {f} kernel, n = {n}, s = {s}", np.round(rng.normal(size=(f, f)), 2), n, s


@_verdict("conv_as_dense", "build W with one row per output position (row r * m + c) holding the kernel "
                           "at the window whose top-left pixel is (r * s, c * s), zeros elsewhere")
def conv_as_dense(fn):
    """fn(kernel, n, s) -> W, shape (m * m, n * n), m = (n - f) // s + 1: the dense layer that computes the
    valid cross-correlation with stride s, (W @ image.ravel()).reshape(m, m). Reference: W built column by
    column from scipy.signal.correlate2d of unit impulses."""
    count = 0
    for case, kernel, n, s in _conv_dense_cases():
        count += 1
        got = _array2d(_call(fn, (kernel.copy(), n, s), case), case)
        due = _dense_reference(kernel, n, s)
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
            raise _Wrong(f"for {case} W is {_shape(got.shape)}, it should be {_shape(due.shape)}: {why}")
        if _matches(got, due):
            continue
        if _matches(got, _dense_reference(kernel[::-1, ::-1], n, s)):
            why = "the kernel is flipped (a convolution); a Conv2D layer computes the cross-correlation"
        else:
            order = np.arange(m * m).reshape(m, m).T.ravel()
            if _matches(got[order], due):
                why = "the rows are in column-major order: row r * m + c belongs to output row r, column c"
            else:
                i, j = _first_difference(got, due)
                why = (f"W[{i}, {j}] is {_fmt(got[i, j])}, it should be {_fmt(due[i, j])} (output position "
                       f"{divmod(i, m)}, input pixel {divmod(j, n)})")
        raise _Wrong(f"for {case} your W is wrong: {why}")
    return (f"right: in all {count} cases W @ image equals scipy.signal.correlate2d(image, kernel, 'valid')"
            "[::s, ::s]; for the slide's 6 x 6 image W has 16 x 36 = 576 entries, 9 distinct weights")
