"""Notebook 03, kernels on real images: ``diagonal_kernel`` and ``line_kernel``.

Both test orientation as orientation: the kernel (divided by the sum of its absolute weights, so that
its scale does not matter) is slid over synthetic images with scipy, and its strongest answer to the
edge or line it should find is compared with its answers to the same thing at other orientations.
"""

import numpy as np

from .verdict import Wrong, array2d, call, checker, fmt, pair, shape


def edge_image(angle_deg, size=15, samples=8):
    """A step edge through the centre, dark on one side and bright (1) on the other, at angle_deg
    (0 = horizontal, counter-clockwise on the screen, rows going down), anti-aliased by supersampling."""
    offsets = (np.arange(samples) + 0.5) / samples - 0.5
    rows = (np.arange(size)[:, None] + offsets[None, :]).ravel() - size // 2
    cols = rows.copy()
    theta = np.deg2rad(angle_deg)
    dist = cols[None, :] * np.sin(theta) + rows[:, None] * np.cos(theta)
    fine = (dist > 0).astype(float)
    return fine.reshape(size, samples, size, samples).mean(axis=(1, 3))


EDGE_NAMES = {0: "horizontal", 90: "vertical", 45: "45° (/)", 135: "135° (\\)"}
CLEARLY = 1.2            # "more strongly": the preferred answer at least 1.2 times every other one
ANSWERS = 1e-6           # an answer of a kernel scaled to sum(|w|) = 1 below this is no answer at all


def _kernel(fn, what):
    """The student's 3 x 3 kernel as a float array, or Wrong for the wrong shape, NaN, infinity, zeros and
    weights that do not sum to 0 (a flat area would answer)."""
    case = f"{getattr(fn, '__name__', 'your function')}()"
    kernel = array2d(call(fn, (), case), case)
    if kernel.shape != (3, 3):
        raise Wrong(f"your kernel is {shape(kernel.shape)}; a 3 x 3 kernel is due")
    kernel = kernel.astype(float)
    if not np.isfinite(kernel).all():
        raise Wrong("your kernel holds NaN or infinity; every weight must be a finite number")
    if np.all(kernel == 0):
        raise Wrong(f"your kernel is all zeros: it answers nothing. {what}")
    if abs(kernel.sum()) > 0.05 * np.abs(kernel).sum():
        raise Wrong(f"your weights sum to {fmt(kernel.sum())}, so a flat bright area (no edge or line at all) "
                    f"gives {fmt(kernel.sum())} too; the weights of an edge or line detector sum to 0")
    return kernel


def _strength(image, kernel):
    from scipy import signal

    return float(np.abs(signal.correlate2d(image, kernel, mode="valid")).max())


def _answers(kernel, images):
    """The largest |response| of the kernel to each image, for the kernel scaled to sum(|w|) = 1."""
    unit = kernel / np.abs(kernel).sum()
    return {name: _strength(image, unit) for name, image in images.items()}


def _numbers(a, b):
    """Two answers as text that tells them apart (a kernel's scale does not matter: shown as given)."""
    return pair(a, b) if fmt(a) == fmt(b) and a != b else (fmt(round(a, 2)) if abs(a) >= 0.01 else fmt(a),
                                                            fmt(round(b, 2)) if abs(b) >= 0.01 else fmt(b))


@checker("diagonal_kernel", "return a 3 x 3 array of weights (np.array([[...], [...], [...]])) that is "
                            "positive on one side of a diagonal and negative on the other, summing to 0")
def diagonal_kernel(fn):
    """fn() -> a 3 x 3 kernel (array, list of lists, any scale or dtype) that answers one diagonal edge
    (45° or 135°) clearly (1.2 x) more strongly than a horizontal, a vertical and the other diagonal
    edge, and 0 on a flat area. Reference: the largest |response| of scipy.signal.correlate2d(mode=
    "valid") on anti-aliased step edges at 0°, 45°, 90° and 135°. A kernel that a 90° rotation leaves
    unchanged (the Laplacian) answers both diagonals alike, and fails."""
    kernel = _kernel(fn, "Put positive weights on one side of a diagonal and negative ones on the other")
    scale = np.abs(kernel).sum()
    strength = _answers(kernel, {angle: edge_image(angle) for angle in (0, 45, 90, 135)})
    diagonal = max(45, 135, key=strength.get)
    others = sorted((a for a in strength if a != diagonal), key=strength.get, reverse=True)
    rival = others[0]
    if strength[diagonal] > ANSWERS and strength[diagonal] >= CLEARLY * strength[rival]:
        ratio = strength[diagonal] / strength[rival] if strength[rival] > 1e-12 else np.inf
        times = "much more than" if np.isinf(ratio) else f"{ratio:.1f} times as strongly as"
        return (f"right: your kernel answers a {EDGE_NAMES[diagonal]} edge {times} a {EDGE_NAMES[rival]} "
                "one (largest |response| of scipy.signal.correlate2d on synthetic edges), and ignores flat areas")
    d, r = _numbers(strength[diagonal] * scale, strength[rival] * scale)
    unit = kernel / scale
    if any(np.allclose(np.rot90(unit), sign * unit, rtol=0, atol=1e-9) for sign in (1, -1)):
        raise Wrong(f"a 90° rotation leaves your kernel unchanged (up to its sign), so it answers the 45° and the "
                    f"135° edge alike ({d} and {r}): it cannot tell one diagonal from the other. Put positive "
                    "weights on one side of ONE diagonal and negative ones on the other")
    best = max(strength, key=strength.get)
    if best in (0, 90):
        b, g = _numbers(strength[best] * scale, strength[diagonal] * scale)
        raise Wrong(f"your kernel answers a {EDGE_NAMES[best]} edge {b} and a {EDGE_NAMES[diagonal]} edge {g}: it "
                    f"finds {EDGE_NAMES[best]} edges best; a diagonal detector answers a diagonal edge clearly "
                    "(1.2 x) more strongly than a horizontal or vertical one")
    raise Wrong(f"your kernel answers a {EDGE_NAMES[diagonal]} edge {d} and a {EDGE_NAMES[rival]} edge {r}: not "
                "clearly (1.2 x) more strongly. Arrange + and - weights on the two sides of one diagonal")


def line_images():
    """A one-pixel bright horizontal line, a horizontal step edge and a one-pixel vertical line, 9 x 9."""
    line = np.pad(np.ones((1, 9)), ((4, 4), (0, 0)))
    return {"line": line, "edge": np.vstack([np.zeros((4, 9)), np.ones((5, 9))]), "vertical": line.T}


def _finds_lines(got):
    return got["line"] > ANSWERS and got["line"] >= CLEARLY * got["edge"] and got["vertical"] <= 0.5 * got["line"]


@checker("line_kernel", "return a 3 x 3 array: a positive middle row between negative rows, summing to 0")
def line_kernel(fn):
    """fn() -> a 3 x 3 kernel (array, list of lists, any scale or dtype) that answers a thin horizontal
    line (a bright row one pixel high) clearly (1.2 x) more strongly than a horizontal step edge, a
    vertical line at most half as much, and 0 on a flat area. Reference: the largest |response| of
    scipy.signal.correlate2d(mode="valid") on synthetic 9 x 9 images."""
    kernel = _kernel(fn, "Put a positive middle row between negative rows")
    scale = np.abs(kernel).sum()
    got = _answers(kernel, line_images())
    shown = {name: value * scale for name, value in got.items()}
    if _finds_lines(got):
        return (f"right: your kernel answers a thin horizontal line {fmt(round(shown['line'], 2))}, a step edge "
                f"only {fmt(round(shown['edge'], 2))}, a vertical line {fmt(round(shown['vertical'], 2))}, and a "
                "flat area 0 (scipy.signal.correlate2d on synthetic images)")
    v, h = _numbers(shown["vertical"], shown["line"])
    if _finds_lines(_answers(kernel.T, line_images())):
        raise Wrong(f"your kernel finds vertical lines (it answers a vertical line {v}, a horizontal one {h}); "
                    "its transpose would find horizontal ones: put the positive weights in the middle ROW")
    if got["line"] <= ANSWERS:
        raise Wrong(f"your kernel does not answer a thin horizontal line at all ({h}; a vertical line {v}): a line "
                    "detector's middle row of weights has the opposite sign of the rows above and below")
    if got["vertical"] > 0.5 * got["line"]:
        raise Wrong(f"your kernel answers a vertical line {v} and a horizontal one {h}: a detector of horizontal "
                    "lines answers a vertical line at most half as much. Make every column of weights sum to 0 "
                    "(a vertical line covers one column)")
    e, ln = _numbers(shown["edge"], shown["line"])
    edge = np.allclose(kernel[::-1] / scale, -kernel / scale, rtol=0, atol=1e-9)
    raise Wrong(f"your kernel answers a horizontal step edge {e} and a thin line {ln}, not clearly (1.2 x) less"
                + (": it is an edge detector (the bottom row is minus the top row). " if edge else ". ")
                + "A line is bright in the middle and dark on BOTH sides: negative rows above and below a "
                "positive one")
