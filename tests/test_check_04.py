"""helpers.check.nb04 (notebook 04): orientation_selectivity and preferred_orientation accept right
answers in any precision and form, and give every wrong one a true sentence."""

import math

import numpy as np
import pytest

import helpers
from check_cases import right_and_wrong, assert_not_done
from helpers.check import nb04


def z_of(angles, responses):
    r = np.asarray(responses, dtype=float)
    return np.sum(r * np.exp(2j * np.deg2rad(np.asarray(angles, dtype=float)))), r.sum()


def osi(angles, responses):
    z, total = z_of(angles, responses)
    return abs(z) / total if total else 0.0


def osi_float32(angles, responses):
    theta = np.deg2rad(np.asarray(angles, dtype=np.float32)) * np.float32(2)
    r = np.asarray(responses, dtype=np.float32)
    total = r.sum()
    if total == 0:
        return np.float32(0)
    return np.hypot((r * np.cos(theta)).sum(), (r * np.sin(theta)).sum()) / total


def osi_python_loop(angles, responses):
    c = s = total = 0.0
    for a, r in zip(angles, responses):
        c += r * math.cos(math.radians(2 * a))
        s += r * math.sin(math.radians(2 * a))
        total += r
    return math.hypot(c, s) / total if total else 0


def osi_and_preferred(angles, responses):
    z, total = z_of(angles, responses)
    return (abs(z) / total, np.angle(z, deg=True) / 2 % 180) if total else (0.0, math.nan)


OSI_RIGHT = [
    ("float32", osi_float32),
    ("python-loop", osi_python_loop),
    ("a-pair-with-the-preferred-orientation", osi_and_preferred),
    ("a-float32-pair", lambda a, r: (osi_float32(a, r), preferred_float32(a, r) if np.any(r) else np.float32(0))),
    ("0-d-array", lambda a, r: np.array(osi(a, r))),
    ("means", lambda a, r: abs(np.mean(r * np.exp(2j * np.deg2rad(a)))) / np.mean(r) if np.mean(r) else 0),
    ("the-course's-helper", lambda a, r: helpers.orientation_selectivity(a, r)[0] if np.any(r) else 0.0),
]


def peak_vs_orthogonal(angles, responses):
    peak = int(np.argmax(responses))
    orth = int(np.argmin(np.abs((np.asarray(angles) - angles[peak]) % 180 - 90)))
    total = responses[peak] + responses[orth]
    return (responses[peak] - responses[orth]) / total if total else 0.0


def normalises_in_place(angles, responses):
    responses /= max(responses.sum(), 1)
    return osi(angles, responses)


OSI_WRONG = [
    ("angle-not-doubled", lambda a, r: abs(np.sum(r * np.exp(1j * np.deg2rad(a)))) / r.sum(), r"doubled angle"),
    ("degrees-into-exp", lambda a, r: abs(np.sum(r * np.exp(2j * np.asarray(a)))) / r.sum(), r"radians.*deg2rad"),
    ("no-normalisation", lambda a, r: abs(np.sum(r * np.exp(2j * np.deg2rad(a)))), r"sum of the responses"),
    ("circular-variance", lambda a, r: 1 - osi(a, r), r"circular variance"),
    ("complex-z", lambda a, r: np.sum(r * np.exp(2j * np.deg2rad(a))) / r.sum(), r"the complex number .*real number"),
    ("peak-vs-orthogonal", peak_vs_orthogonal, r"peak-versus-orthogonal"),
    ("nan-for-a-silent-unit", lambda a, r: abs(np.sum(r * np.exp(2j * np.deg2rad(a)))) / r.sum(),
     r"never answers.*nan \(0 / 0\).*OSI 0"),
    ("a-wrong-preferred-orientation", lambda a, r: (osi(a, r), 0.0),
     r"tuned to 60° .*your OSI is right but the preferred orientation you return is 0°, it should be 60°"),
    ("one-per-angle", lambda a, r: np.full(len(r), osi(a, r)),
     r"an array of shape \(12,\) \(float64\); the OSI is one number"),
    ("a-string", lambda a, r: f"{osi(a, r):.2f}", r"'0\.\d\d' \(str\); the OSI is one number"),
    ("changes-the-responses", normalises_in_place, r"changed its argument `responses` in place"),
    ("a-tenth-low", lambda a, r: 0.9 * osi(a, r),
     r"for a unit tuned to 60° \(angles 0, 15, \.\.\., 165\) you return 0\.\d+, the OSI is 0\.\d+: OSI = "),
    ("a-generator", lambda a, r: (v for v in r), r"a generator"),
    ("real-part", lambda a, r: np.sum(r * np.cos(2 * np.deg2rad(a))) / r.sum() if r.sum() else 0.0,
     r"real part of z"),
]


test_orientation_selectivity_right, test_orientation_selectivity_wrong = right_and_wrong(
    "orientation_selectivity", OSI_RIGHT, OSI_WRONG)


def test_orientation_selectivity_not_done(capsys):
    assert_not_done(capsys, "orientation_selectivity")


def test_osi_reference_is_the_helpers_vector_method():
    rng = np.random.default_rng(3)
    for k in (6, 12, 18):
        angles = np.arange(k) * 180.0 / k
        responses = rng.gamma(1.0, 1.0, size=k)
        by_helpers = helpers.orientation_selectivity(angles, responses)[0]
        assert math.isclose(nb04.reference_osi(angles, responses), by_helpers)


# ----------------------------------------------------------------------------- preferred_orientation


def preferred(angles, responses):
    z, _ = z_of(angles, responses)
    return np.rad2deg(np.angle(z)) / 2 % 180


def preferred_float32(angles, responses):
    theta = 2 * np.deg2rad(np.asarray(angles, dtype=np.float32))
    r = np.asarray(responses, dtype=np.float32)
    angle = np.rad2deg(np.arctan2((r * np.sin(theta)).sum(), (r * np.cos(theta)).sum()))
    return angle / np.float32(2) % np.float32(180)


def preferred_python(angles, responses):
    c = sum(r * math.cos(math.radians(2 * a)) for a, r in zip(angles, responses))
    s = sum(r * math.sin(math.radians(2 * a)) for a, r in zip(angles, responses))
    return (math.degrees(math.atan2(s, c)) + 360) / 2 % 180


PREFERRED_RIGHT = [
    ("float32", preferred_float32),
    ("np-angle-in-degrees", lambda a, r: np.angle(np.sum(r * np.exp(2j * np.deg2rad(a))), deg=True) / 2 % 180),
    ("python-math", preferred_python),
    ("0-d-array", lambda a, r: np.array(preferred(a, r))),
    ("the-course's-helper", lambda a, r: helpers.orientation_selectivity(a, r)[1]),
    ("one-item-list-as-array", lambda a, r: np.array([preferred(a, r)])),
]


def arctan_loses_the_quadrant(angles, responses):
    theta = 2 * np.deg2rad(angles)
    return np.rad2deg(np.arctan(np.sum(responses * np.sin(theta)) / np.sum(responses * np.cos(theta)))) / 2 % 180


def converts_in_place(angles, responses):
    np.deg2rad(angles, out=angles)
    return np.rad2deg(np.angle(np.sum(responses * np.exp(2j * angles)))) / 2 % 180


PREFERRED_WRONG = [
    ("no-modulo", lambda a, r: preferred(a, r) - 180 * (preferred(a, r) > 90),
     r"tuned to 170° you return -9\.994; the preferred orientation is 170°.*negative: take it modulo 180"),
    ("argmax", lambda a, r: a[np.argmax(r)], r"argmax"),
    ("angle-not-doubled", lambda a, r: np.rad2deg(np.angle(np.sum(r * np.exp(1j * np.deg2rad(a))))) % 180,
     r"exp\(2iθ\)"),
    ("not-halved", lambda a, r: np.rad2deg(np.angle(np.sum(r * np.exp(2j * np.deg2rad(a))))) % 360, r"forget to halve"),
    ("radians", lambda a, r: np.deg2rad(preferred(a, r)), r"you return radians"),
    ("weighted-mean-of-angles", lambda a, r: np.sum(r * a) / np.sum(r), r"average the angles"),
    ("arctan", arctan_loses_the_quadrant, r"np\.arctan\(y / x\) loses the quadrant"),
    ("nan", lambda a, r: math.nan, r"tuned to 60° .*you return is nan \(not a number\); it should be 60°"),
    ("complex", lambda a, r: np.sum(r * np.exp(2j * np.deg2rad(a))), r"the complex number .*real number"),
    ("one-degree-off", lambda a, r: preferred(a, r) + 1,
     r"for a unit tuned to 60° \(angles 0, 15, \.\.\., 165\) the preferred orientation you return is 61°, it should "
     r"be 60°: arg\(z\) / 2"),
    ("a-list", lambda a, r: [preferred(a, r), 0], r"a list of 2 items; the preferred orientation is one number"),
    ("changes-the-angles", converts_in_place, r"changed its argument `angles_deg` in place"),
    ("a-hundredth-off", lambda a, r: preferred(a, r) + 0.01,
     r"the preferred orientation you return is 60\.01°, it should be 60°"),
]


test_preferred_orientation_right, test_preferred_orientation_wrong = right_and_wrong(
    "preferred_orientation", PREFERRED_RIGHT, PREFERRED_WRONG)


def test_preferred_orientation_not_done(capsys):
    assert_not_done(capsys, "preferred_orientation")


def test_preferred_reference():
    assert nb04.reference_preferred([0, 45, 90, 135], [0, 0, 0, 1]) == pytest.approx(135)
    assert nb04.reference_preferred([0, 90], [1, 0]) == 0
