"""Notebook 04, Hubel & Wiesel in silico: ``orientation_selectivity`` and ``preferred_orientation``.

Both compare with an independent computation (cos and sin sums, arctan2), on tuning curves sampled
evenly, unevenly and in random order. The tolerance follows the dtype of the answer (float32 too) and,
for the preferred orientation, how well the curve determines it (|z| small: the angle is shaky).
"""

import math

import numpy as np

from .verdict import SEED, Wrong, checker, describe, diagnose, first_wrong, number, pair, tolerance


def reference_z(angles, responses):
    """(Σ r_k cos 2θ_k, Σ r_k sin 2θ_k, Σ r_k), θ in radians: the independent reference's sums."""
    theta = np.deg2rad(2 * np.asarray(angles, dtype=float))
    r = np.asarray(responses, dtype=float)
    return float((r * np.cos(theta)).sum()), float((r * np.sin(theta)).sum()), float(r.sum())


def reference_osi(angles, responses):
    """Independent reference: |z| with z's cos and sin sums; 0 when all responses are 0."""
    c, s, total = reference_z(angles, responses)
    return 0.0 if total == 0 else float(np.hypot(c, s) / total)


def reference_preferred(angles, responses):
    """Independent reference: the doubled-angle mean direction, arctan2 of the sin and cos sums, halved."""
    c, s, _ = reference_z(angles, responses)
    return float(np.rad2deg(np.arctan2(s, c)) / 2 % 180)


def _curve(angles, peak, base, depth=1.0):
    return np.round(base + depth * np.cos(np.deg2rad(2 * (angles - peak))), 3)


def _random_units(rng, count, lowest):
    for _ in range(count):
        k = int(rng.integers(lowest, 25))
        a = np.arange(k) * 180.0 / k
        r = rng.gamma(1.0, 2.0, size=k) * (1.2 + np.cos(np.deg2rad(2 * (a - rng.uniform(0, 180)))))
        yield f"a random unit ({k} angles)", a, r


_EVERY_15 = np.arange(0, 180, 15.0)
_UNEVEN = np.array([100.0, 10, 150, 55, 5, 170, 80, 130])
_TUNED_60 = ("a unit tuned to 60° (angles 0, 15, ..., 165)", _EVERY_15,
             np.round(np.maximum(0, 9 * np.cos(np.deg2rad(2 * (_EVERY_15 - 60)))) + 1, 3))
_UNEVEN_CASE = ("a unit sampled at uneven angles, not in order", _UNEVEN, _curve(_UNEVEN, 110, 1.5))


def _osi_cases():
    sharp = np.zeros_like(_EVERY_15)
    sharp[3] = 5.0
    wide = np.arange(0, 360, 30.0)
    return [_TUNED_60, ("a unit that answers at 45° only", _EVERY_15, sharp),
            ("a unit that answers all angles equally", _EVERY_15, np.full_like(_EVERY_15, 2.0)),
            ("a unit sampled at 0, 30, ..., 330°", wide, _curve(wide, 20, 1)), _UNEVEN_CASE,
            *_random_units(np.random.default_rng(SEED), 5, 4),
            ("a unit that never answers (all responses 0)", _EVERY_15, np.zeros_like(_EVERY_15))]


def _preferred_cases():
    return [_TUNED_60, ("a unit tuned to 170°", _EVERY_15, _curve(_EVERY_15, 170, 2)),
            ("a skewed tuning curve", _EVERY_15, np.array([0, 0, 1, 6, 5, 4, 3, 2, 1, 0, 0, 0], dtype=float)),
            _UNEVEN_CASE, *_random_units(np.random.default_rng(SEED), 5, 6)]


def _vector(a, r, double=2, radians=True):
    """|Σ r_k exp(i double θ_k)| with θ in radians (or, by mistake, in degrees)."""
    theta = np.deg2rad(np.asarray(a, dtype=float)) if radians else np.asarray(a, dtype=float)
    return abs(np.sum(np.asarray(r, dtype=float) * np.exp(1j * double * theta)))


def _peak_vs_orthogonal(a, r):
    a, r = np.asarray(a, dtype=float), np.asarray(r, dtype=float)
    peak = int(np.argmax(r))
    orth = int(np.argmin(np.abs(((a - a[peak]) % 180) - 90)))
    return (r[peak] - r[orth]) / (r[peak] + r[orth])


OSI_MISTAKES = [
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
    (lambda a, r: np.sum(r * np.cos(2 * np.deg2rad(a))) / np.sum(r),
     "you return the real part of z (Σ r cos 2θ / Σ r); the OSI is its length |z|, sine part included"),
    (_peak_vs_orthogonal,
     ("that is the peak-versus-orthogonal index (r_pref - r_orth) / (r_pref + r_orth); the lecture's OSI is "
      "the vector one, |Σ r_k exp(2iθ_k)| / Σ r_k, which uses every angle")),
    (lambda a, r: (np.max(r) - np.min(r)) / (np.max(r) + np.min(r)),
     ("that is (r_max - r_min) / (r_max + r_min); the lecture's OSI is the vector one, |Σ r_k exp(2iθ_k)| / "
      "Σ r_k, which uses every angle")),
]


def _close_enough(got, due, dtype, scale=1.0):
    return math.isfinite(got) and abs(got - due) <= tolerance(dtype) * scale + 1e-12


def _read_osi(value, case, args):
    """(osi, dtype, preferred or None): a pair (osi, preferred) is accepted, as the docstring of
    helpers.orientation_selectivity returns it."""
    preferred = None
    if isinstance(value, (tuple, list)) and len(value) == 2:
        value, preferred = value
    osi, dtype = number(value, case, "the OSI")
    return osi, dtype, preferred


@checker("orientation_selectivity",
         "compute z = Σ r_k exp(2iθ_k) / Σ r_k (θ in radians, doubled) and return the OSI |z|")
def orientation_selectivity(fn):
    """fn(angles_deg, responses) -> the OSI of helpers/hubel_wiesel.py's docstring,
    |Σ r_k exp(2iθ_k)| / Σ r_k (0 when all responses are 0): a float, a numpy float of any precision or
    a size-1 array. A returned (osi, preferred) pair is accepted: then the preferred orientation
    arg(z) / 2 (mod 180) is checked too. Reference: an independent numpy implementation with cos and
    sin sums."""
    cases = [(case, (a, r)) for case, a, r in _osi_cases()]
    answers, wrong = first_wrong(fn, cases, _read_osi, lambda args: reference_osi(*args),
                                 lambda got, due, args: _close_enough(got[0], due, got[1]),
                                 names=("angles_deg", "responses"))
    if wrong is not None:
        case, (angles, responses), (osi, _, _), due = answers[wrong]
        if not responses.any() and math.isnan(osi):
            raise Wrong(f"for {case} you return nan (0 / 0); a unit that never answers has OSI 0 "
                        "(the docstring's convention): return 0.0 when Σ r_k = 0")
        hint = diagnose(OSI_MISTAKES, [(args, got[0]) for _, args, got, _ in answers if args[1].any()],
                        same=lambda a, b: math.isclose(float(a), b, rel_tol=1e-6, abs_tol=1e-9))
        g, d = pair(osi, due)
        raise Wrong(f"for {case} you return {g}, the OSI is {d}"
                    + (f": {hint}" if hint else ": OSI = |Σ r_k exp(2iθ_k)| / Σ r_k, θ in radians"))
    for case, (angles, responses), (_, _, preferred), due in answers:
        if preferred is not None and responses.any() and due > 1e-6:
            _check_preferred(preferred, angles, responses, case, "your OSI is right but ")
    return (f"right: OSI 1 for a unit that answers one angle, 0 for one that answers all equally, and "
            f"the same values as an independent computation on {len(answers) - 3} more tuning curves")


def _angle_tolerance(dtype, angles, responses):
    """Degrees: the answer's precision, times how shaky arg(z) is (Σ r / |z|), never below 1e-6°."""
    c, s, total = reference_z(angles, responses)
    shaky = total / max(np.hypot(c, s), 1e-300)
    return max(1e-6, math.degrees(4 * tolerance(dtype) * shaky))


def _check_preferred(value, angles, responses, case, prefix=""):
    got, dtype = number(value, case, "the preferred orientation")
    due = reference_preferred(angles, responses)
    gap = abs((got - due + 90) % 180 - 90) if math.isfinite(got) else math.inf
    if gap <= _angle_tolerance(dtype, angles, responses):
        if 0 <= got <= 180:
            return got
        raise Wrong(f"for {case} {prefix}you return {pair(got, due)[0]}°, the right orientation but outside "
                    "[0, 180): take it modulo 180 (% 180)")
    if not math.isfinite(got):
        raise Wrong(f"for {case} {prefix}the preferred orientation you return is {describe(got)}; it should be "
                    f"{pair(due, due + 1)[0]}°: arg(z) / 2, in degrees, modulo 180")
    g, d = pair(got, due)
    raise Wrong(f"for {case} {prefix}the preferred orientation you return is {g}°, it should be {d}°: "
                "arg(z) / 2, in degrees, modulo 180")


def _arg(a, r, double=2):
    return float(np.rad2deg(np.angle(np.sum(np.asarray(r) * np.exp(1j * double * np.deg2rad(a))))))


PREFERRED_MISTAKES = [
    (lambda a, r: _arg(a, r, double=1) % 180,
     "you use the angle itself; orientations repeat every 180°, so each response votes for exp(2iθ)"),
    (lambda a, r: _arg(a, r) % 360,
     "you forget to halve: the vote was for the doubled angle, so the preferred orientation is arg(z) / 2"),
    (lambda a, r: _arg(a, r) % 180,
     "you forget to halve: the vote was for the doubled angle, so the preferred orientation is arg(z) / 2"),
    (lambda a, r: _arg(a, r) / 2,
     "your answer can be negative: take it modulo 180 (% 180) so that it lies in [0, 180)"),
    (lambda a, r: math.radians(_arg(a, r) / 2 % 180),
     "you return radians; the angles came in degrees, and the answer goes back in degrees (np.rad2deg)"),
    (lambda a, r: math.radians(_arg(a, r)) / 2 % math.pi,
     "you return radians; the angles came in degrees, and the answer goes back in degrees (np.rad2deg)"),
    (lambda a, r: float(np.asarray(a)[np.argmax(r)]),
     ("you return the angle of the largest response (argmax); the preferred orientation averages every "
      "response: arg(Σ r_k exp(2iθ_k)) / 2")),
    (lambda a, r: float(np.sum(np.asarray(r) * np.asarray(a)) / np.sum(r)),
     ("you average the angles weighted by the responses; 0° and 170° are 10° apart, not 170°, so the average "
      "is taken on the circle: arg(Σ r_k exp(2iθ_k)) / 2")),
    (lambda a, r: float(np.rad2deg(np.arctan(np.sum(r * np.sin(2 * np.deg2rad(a)))
                                             / np.sum(r * np.cos(2 * np.deg2rad(a))))) / 2 % 180),
     "np.arctan(y / x) loses the quadrant (the sign of x): use np.arctan2(y, x) or np.angle(z)"),
]


@checker("preferred_orientation", "compute z = Σ r_k exp(2iθ_k) (θ in radians) and return "
                                  "arg(z) / 2 in degrees, modulo 180")
def preferred_orientation(fn):
    """fn(angles_deg, responses) -> the preferred orientation in degrees, in [0, 180): half the angle of
    Σ r_k exp(2iθ_k) (helpers/hubel_wiesel.py's docstring); a float, a numpy float of any precision or a
    size-1 array. Reference: an independent numpy computation with arctan2 of the sine and cosine sums;
    the tolerance follows the answer's dtype and how sharply the curve is tuned; modulo 180."""
    cases = [(case, (a, r)) for case, a, r in _preferred_cases()]

    def read(value, case, args):
        return number(value, case, "the preferred orientation")

    def agree(got, due, args):
        value, dtype = got
        gap = abs((value - due + 90) % 180 - 90) if math.isfinite(value) else math.inf
        return 0 <= value <= 180 and gap <= _angle_tolerance(dtype, *args)

    answers, wrong = first_wrong(fn, cases, read, lambda args: reference_preferred(*args), agree,
                                 names=("angles_deg", "responses"))
    if wrong is not None:
        case, (angles, responses), (got, dtype), due = answers[wrong]
        hint = diagnose(PREFERRED_MISTAKES, [(args, g[0]) for _, args, g, _ in answers],
                        same=lambda a, b: abs(float(a) - b) < 1e-6)
        if hint is None:
            _check_preferred(got, angles, responses, case)
        g, d = pair(got, due)
        raise Wrong(f"for {case} you return {g}; the preferred orientation is {d}° ({hint})")
    return (f"right: 60° for the unit tuned to 60°, 170° (not -10°) for the one tuned to 170°, and "
            f"{len(answers) - 2} more curves agree with an independent computation")
