"""helpers.hubel_wiesel against independent references: image moments (numpy, scikit-image),
skimage's Gabor kernel, Keras' own Conv2D, and hand-computed pixels and responses."""

import numpy as np
import pytest
from scipy import signal
from skimage.filters import gabor_kernel as skimage_gabor
from skimage.measure import inertia_tensor, regionprops

from helpers.hubel_wiesel import gabor_kernel, oriented_bar, orientation_selectivity, tuning_curve

SOBEL_VERTICAL_EDGE = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)   # d/dx: a vertical edge
SOBEL_HORIZONTAL_EDGE = SOBEL_VERTICAL_EDGE.T.copy()                                 # d/dy: a horizontal edge
ANGLES = np.arange(0, 180, 15)


def angle_difference(a, b):
    """Distance between two orientations in degrees (they repeat every 180)."""
    return np.abs((np.asarray(a) - b + 90) % 180 - 90)


def numpy_principal_axis(darkness):
    """Orientation of the long axis from the second central moments, in screen coordinates (y up)."""
    rows, cols = np.indices(darkness.shape)
    x, y = cols, -rows
    m = darkness.sum()
    dx, dy = x - (darkness * x).sum() / m, y - (darkness * y).sum() / m
    mu20, mu02, mu11 = (darkness * dx**2).sum(), (darkness * dy**2).sum(), (darkness * dx * dy).sum()
    return np.degrees(0.5 * np.arctan2(2 * mu11, mu20 - mu02)) % 180


def skimage_principal_axis(darkness):
    """The same from scikit-image's inertia tensor, in (row, col): the axis of least inertia."""
    _, vectors = np.linalg.eigh(inertia_tensor(darkness))
    d_row, d_col = vectors[:, 0]
    return np.degrees(np.arctan2(-d_row, d_col)) % 180          # rows go down: y = -row


def random_bars(seed, count):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(15, 90))
        width = rng.uniform(1, n / 8)
        length = rng.uniform(3 * width + 3, 0.8 * n)
        center = (rng.uniform(0.4, 0.6) * n, rng.uniform(0.4, 0.6) * n)
        yield n, rng.uniform(-360, 360), width, length, center


# ----------------------------------------------------------------------------- oriented_bar


def test_oriented_bar_hand_computed():
    horizontal = oriented_bar(7, 0, 1, 5)
    expected = np.ones((7, 7))
    expected[3, 1:6] = 0                      # 5 black pixels on the middle row
    np.testing.assert_array_equal(horizontal, expected)
    np.testing.assert_array_equal(oriented_bar(7, 90, 1, 5), expected.T)   # vertical: the transpose
    # 45 degrees rises to the right on the screen: the diagonal from bottom-left to top-right.
    diagonal = oriented_bar(5, 45, 0.5, np.inf)
    anti_diagonal = np.fliplr(np.eye(5)) == 1
    assert np.all(diagonal[anti_diagonal] < diagonal[~anti_diagonal].min())
    # A 2-pixel bar centred on a pixel covers it fully and half of each neighbour (anti-aliased).
    np.testing.assert_allclose(oriented_bar((5, 3), 0, 2, np.inf)[:, 1], [1, 0.5, 0, 0.5, 1])


def test_oriented_bar_contrast_background_center_and_shape():
    img = oriented_bar((9, 12), 90, 1, 3, center=(2, 10), contrast=0.75, background=0.0)
    assert img.shape == (9, 12) and img.dtype == np.float64
    expected = np.zeros((9, 12))
    expected[1:4, 10] = 0.75                  # a white vertical stroke on black, around (2, 10)
    np.testing.assert_allclose(img, expected, atol=1e-12)
    assert np.all(oriented_bar(9, 30, 2, 5, center=(40, 40)) == 1)   # a bar outside the image


def test_oriented_bar_darkness_sums_to_width_times_length():
    rng = np.random.default_rng(1)
    for _ in range(20):
        angle, width, length = rng.uniform(0, 180), rng.uniform(0.3, 5), rng.uniform(5, 30)
        darkness = 1 - oriented_bar(61, angle, width, length, center=(30 + rng.uniform(-1, 1), 30.3))
        assert darkness.sum() == pytest.approx(width * length, rel=0.03), (angle, width, length)
    darkness = 1 - oriented_bar(20, 0, 0.4, 6.5, center=(9.2, 9.7))   # axis-aligned: exact
    assert darkness.sum() == pytest.approx(0.4 * 6.5, abs=1e-12)


def test_oriented_bar_angle_is_the_principal_axis_numpy_moments():
    for n, angle, width, length, center in random_bars(seed=0, count=150):
        darkness = 1 - oriented_bar(n, angle, width, length, center=center)
        assert angle_difference(numpy_principal_axis(darkness), angle) < 1.0, (n, angle, width, length)


def test_oriented_bar_angle_is_the_principal_axis_skimage():
    for n, angle, width, length, center in random_bars(seed=1, count=150):
        darkness = 1 - oriented_bar(n, angle, width, length, center=center)
        assert angle_difference(skimage_principal_axis(darkness), angle) < 1.0, (n, angle, width, length)


@pytest.mark.parametrize("angle", [0, 10, 22.5, 30, 45, 60, 75, 90, 100, 135, 150, 170, -30, 200])
@pytest.mark.parametrize("n", [31, 64])
def test_oriented_bar_angle_matches_regionprops_of_the_binary_bar(angle, n):
    """regionprops' orientation is measured from the row axis (down), counter-clockwise in (row, col):
    our angle = 90 + orientation (mod 180)."""
    mask = oriented_bar(n, angle, 3, 0.6 * n) < 0.35     # pixels covered more than 65%
    orientation = np.degrees(regionprops(mask.astype(int))[0].orientation)
    assert angle_difference(90 + orientation, angle) < 2.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(size=0, angle=0, width=1, length=3), "size"),
    (dict(size=(5, 0), angle=0, width=1, length=3), "size"),
    (dict(size=5.5, angle=0, width=1, length=3), "size"),
    (dict(size=(5, 5, 5), angle=0, width=1, length=3), "size"),
    (dict(size=9, angle="up", width=1, length=3), "angle"),
    (dict(size=9, angle=np.nan, width=1, length=3), "angle"),
    (dict(size=9, angle=0, width=0, length=3), "width"),
    (dict(size=9, angle=0, width=-1, length=3), "width"),
    (dict(size=9, angle=0, width=np.inf, length=3), "width"),
    (dict(size=9, angle=0, width=1, length=0), "length"),
    (dict(size=9, angle=0, width=1, length=3, center=4), "center"),
    (dict(size=9, angle=0, width=1, length=3, center=(1, 2, 3)), "center"),
    (dict(size=9, angle=0, width=1, length=3, contrast=None), "contrast"),
])
def test_oriented_bar_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        oriented_bar(**kwargs)


# ----------------------------------------------------------------------------- gabor_kernel


@pytest.mark.parametrize("angle", [0, 30, 77, 90, 135, 160])
@pytest.mark.parametrize("phase", [0.0, 1.0, np.pi, -np.pi / 2])
def test_gabor_kernel_matches_skimage(angle, phase):
    f, lam, sigma, gamma = 11, 5.0, 2.2, 0.6
    mine = gabor_kernel(f, angle, lam, sigma=sigma, phase=phase, aspect=gamma, zero_mean=False)
    ref = skimage_gabor(1 / lam, theta=np.deg2rad(90 - angle), sigma_x=sigma, sigma_y=sigma / gamma,
                        n_stds=10, offset=-phase).real * (2 * np.pi * sigma * sigma / gamma)
    r, c = ref.shape[0] // 2, ref.shape[1] // 2
    np.testing.assert_allclose(mine, ref[r - 5:r + 6, c - 5:c + 6], atol=1e-12)


def test_gabor_kernel_zero_mean_and_preferred_bar():
    k = gabor_kernel(15, 30, 6, phase=np.pi)
    assert abs(k.sum()) < 1e-12
    # Its stripes run along 30 degrees: the dark bar at 30 through the centre drives it most.
    drive = {a: float(np.sum(k * oriented_bar(15, a, 3, np.inf))) for a in range(0, 180, 10)}
    assert max(drive, key=drive.get) == 30
    with pytest.raises(ValueError, match="odd"):
        gabor_kernel(8, 0, 4)
    with pytest.raises(ValueError, match="wavelength"):
        gabor_kernel(9, 0, 0)
    with pytest.raises(ValueError, match="aspect"):
        gabor_kernel(9, 0, 4, aspect=-1)


# ----------------------------------------------------------------------------- orientation_selectivity


def test_orientation_selectivity_hand_computed():
    angles = [0, 45, 90, 135]
    assert orientation_selectivity(angles, [1, 0, 0, 0]) == pytest.approx((1.0, 0.0))
    osi, preferred = orientation_selectivity(angles, [0, 0, 2, 0])
    assert osi == pytest.approx(1.0) and preferred == pytest.approx(90.0)
    assert orientation_selectivity(angles, [1, 1, 1, 1])[0] == pytest.approx(0.0, abs=1e-12)
    osi, preferred = orientation_selectivity(angles, [3, 1, 1, 1])   # z = (3 - 1) / 6
    assert osi == pytest.approx(1 / 3) and preferred == pytest.approx(0.0)
    osi, preferred = orientation_selectivity(angles, [1, 1, 0, 0])   # between 0 and 45
    assert osi == pytest.approx(np.sqrt(2) / 2) and preferred == pytest.approx(22.5)
    assert orientation_selectivity(angles, [0, 0, 0, 0])[0] == 0.0


def test_orientation_selectivity_against_von_mises_curves():
    """A cos^2 tuning curve peaked at theta_0: the vector mean points at theta_0 (numpy reference)."""
    angles = np.arange(0, 180, 5)
    for theta_0 in [0, 17, 90, 133]:
        responses = np.cos(np.deg2rad(angles - theta_0)) ** 2
        osi, preferred = orientation_selectivity(angles, responses)
        assert angle_difference(preferred, theta_0) < 1e-9
        assert osi == pytest.approx(0.5)           # mean of cos^2 * cos(2 d) over a period / mean of cos^2


def test_orientation_selectivity_bad_input():
    with pytest.raises(ValueError, match="one value per angle"):
        orientation_selectivity([0, 90], [1, 2, 3])
    with pytest.raises(ValueError, match="non-negative"):
        orientation_selectivity([0, 90], [1, -2])
    with pytest.raises(ValueError, match="angles"):
        orientation_selectivity([], [])


# ----------------------------------------------------------------------------- tuning_curve


def scipy_maps(kernel, images, bias=0.0):
    """The reference: scipy's valid cross-correlation, plus the bias, rectified."""
    return np.stack([np.maximum(signal.correlate2d(img, kernel, mode="valid") + bias, 0) for img in images])


def test_tuning_curve_matches_scipy_on_random_kernels():
    rng = np.random.default_rng(2)
    for f, n in [(3, 15), (5, 19), (7, 21), (1, 9)]:
        kernel = rng.normal(size=(f, f))
        bias = float(rng.normal())
        angles = rng.uniform(0, 180, size=5)
        tc = tuning_curve(kernel, angles, size=n, width=1.5, shift=0.7, bias=bias)
        c = (n - 1) / 2
        bars = [oriented_bar(n, a, 1.5, np.inf, center=(c - 0.7 * np.cos(np.deg2rad(a)),
                                                       c - 0.7 * np.sin(np.deg2rad(a)))) for a in angles]
        ref = scipy_maps(kernel, bars, bias)
        np.testing.assert_allclose(tc.maps, ref, atol=1e-9)
        m = n - f + 1
        np.testing.assert_allclose(tc.simple, ref[:, (m - 1) // 2, (m - 1) // 2], atol=1e-9)
        np.testing.assert_allclose(tc.complex, ref.max(axis=(1, 2)), atol=1e-9)
        np.testing.assert_array_equal(tc.angles, angles)


def test_tuning_curve_hand_computed_sobel():
    """A vertical dark bar, 2 pixels wide, on white: the vertical-edge Sobel kernel sees a full edge
    (1 + 2 + 1) * (1 - 0) = 4 at the bar's right side and, rectified, nothing at its centre."""
    tc = tuning_curve(SOBEL_VERTICAL_EDGE, [0, 90])
    assert tc.maps.shape == (2, 13, 13)                          # default n = 15, m = 15 - 3 + 1
    np.testing.assert_allclose(tc.complex, [0, 4], atol=1e-12)   # a horizontal bar has no vertical edge
    np.testing.assert_allclose(tc.simple, [0, 0], atol=1e-12)    # centred on the bar: left = right
    shifted = tuning_curve(SOBEL_VERTICAL_EDGE, [90], shift=-1)  # bar moved right: its left edge at the centre
    assert shifted.simple[0] == pytest.approx(0.0)               # light -> dark: negative, rectified
    shifted = tuning_curve(SOBEL_VERTICAL_EDGE, [90], shift=1)   # moved left: dark -> light at the centre
    assert shifted.simple[0] == pytest.approx(4.0)               # right column 1, left column 0: (1+2+1)*1


@pytest.mark.parametrize("kernel, expected", [(SOBEL_VERTICAL_EDGE, 90), (SOBEL_HORIZONTAL_EDGE, 0)])
def test_edge_kernels_peak_at_their_orientation(kernel, expected):
    angles = np.arange(0, 180, 5)
    for width in (1, 2, 3):
        tc = tuning_curve(kernel, angles, width=width)
        best = tc.complex[angles == expected][0]
        assert best == pytest.approx(tc.complex.max())                  # the peak is at `expected`...
        assert tc.complex[angle_difference(angles, expected) == 90][0] < 1e-9   # ...the orthogonal bar: 0
        osi, preferred = tc.selectivity("complex")
        assert angle_difference(preferred, expected) < 1e-6 and osi > 0.2
        # The simple cell sees an edge when the bar's edge passes by the field centre: here between
        # the centre pixel (on the light side) and its neighbour (on the dark side).
        simple = tuning_curve(kernel, angles, width=width, shift=(width + 1) / 2)
        assert angles[np.argmax(simple.simple)] == expected
        assert simple.simple.max() == pytest.approx(4.0)   # the full edge: (1 + 2 + 1) * (1 - 0)


@pytest.mark.parametrize("angle", [0, 30, 45, 90, 120])
def test_gabor_unit_prefers_its_angle(angle):
    angles = np.arange(0, 180, 15)
    tc = tuning_curve(gabor_kernel(11, angle, 6, phase=np.pi), angles, width=3)
    for kind in ("simple", "complex"):
        assert angles[np.argmax(getattr(tc, kind))] == angle
        osi, preferred = tc.selectivity(kind)
        # The vector mean is pulled a little by the pixel grid (oblique angles, 15-degree steps).
        assert angle_difference(preferred, angle) < 5 and osi > 0.5


def test_complex_response_is_position_invariant_simple_is_not():
    kernel = gabor_kernel(9, 0, 6, phase=np.pi)                   # prefers a dark horizontal bar
    angles = [0, 90]
    base = tuning_curve(kernel, angles, size=31, width=3)
    for shift in (-5, -3, -1, 1, 2, 4):                           # the bar moves up/down (left/right)
        moved = tuning_curve(kernel, angles, size=31, width=3, shift=shift)
        np.testing.assert_allclose(moved.complex, base.complex, rtol=1e-9)   # exact: pixel shifts
        assert moved.simple[0] < 0.8 * base.simple[0]
    # Oblique bars moved by a fraction of a pixel: the same up to anti-aliasing.
    oblique = tuning_curve(gabor_kernel(9, 30, 6, phase=np.pi), [30], size=31, width=3)
    for shift in np.linspace(-4, 4, 9):
        moved = tuning_curve(gabor_kernel(9, 30, 6, phase=np.pi), [30], size=31, width=3, shift=shift)
        assert moved.complex[0] == pytest.approx(oblique.complex[0], rel=0.03)
        if abs(shift) >= 2:
            assert moved.simple[0] < 0.5 * oblique.simple[0]


def test_complex_is_the_max_pooling_of_keras():
    """complex = a global max-pooling of the rectified map (Keras' GlobalMaxPooling2D as reference)."""
    import keras

    tc = tuning_curve(gabor_kernel(7, 60, 4), np.arange(0, 180, 20), contrast=1.0, background=0.0)
    pooled = keras.layers.GlobalMaxPooling2D()(tc.maps[..., None].astype("float32"))
    np.testing.assert_allclose(np.asarray(pooled)[:, 0], tc.complex, rtol=1e-6)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("c_in", [1, 3])
def test_tuning_curve_of_a_keras_conv2d_channel(padding, c_in):
    """Calling the layer gives what its kernel (summed over input channels: a gray bar in every channel)
    and bias give through the course's correlation."""
    import keras

    layer = keras.layers.Conv2D(4, 5, padding=padding, activation="relu")
    layer.build((None, 21, 21, c_in))
    rng = np.random.default_rng(3)
    kernel = rng.normal(size=(5, 5, c_in, 4)).astype("float32")
    bias = rng.normal(size=4).astype("float32")
    layer.set_weights([kernel, bias])
    angles = np.arange(0, 180, 30)
    for channel in range(4):
        tc = tuning_curve((layer, channel), angles, size=21, shift=0.5)
        ref = tuning_curve(kernel[:, :, :, channel].sum(axis=2).astype(float), angles, size=21, shift=0.5,
                           bias=float(bias[channel]))
        assert tc.maps.shape == ref.maps.shape == (6, 17, 17)
        np.testing.assert_allclose(tc.maps, ref.maps, atol=1e-4)
        np.testing.assert_allclose(tc.simple, ref.simple, atol=1e-4)
        np.testing.assert_allclose(tc.complex, ref.complex, atol=1e-4)


def test_tuning_curve_of_a_callable():
    kernel = gabor_kernel(5, 45, 4, phase=np.pi)
    def unit(images):
        return np.stack([signal.correlate2d(img, kernel, mode="valid") for img in images])

    tc = tuning_curve(unit, ANGLES, size=15)
    ref = tuning_curve(kernel, ANGLES, size=15)
    np.testing.assert_allclose(tc.simple, ref.simple, atol=1e-12)
    np.testing.assert_allclose(tc.complex, ref.complex, atol=1e-12)


def test_tuning_curve_bad_input():
    import keras

    with pytest.raises(ValueError, match="odd"):
        tuning_curve(np.ones((4, 4)), ANGLES)
    with pytest.raises(ValueError, match="square 2-D"):
        tuning_curve(np.ones((3, 5)), ANGLES)
    with pytest.raises(ValueError, match="square 2-D"):
        tuning_curve(np.ones((3, 3, 3)), ANGLES)
    with pytest.raises(ValueError, match="finite"):
        tuning_curve(np.full((3, 3), np.nan), ANGLES)
    with pytest.raises(ValueError, match="angles"):
        tuning_curve(SOBEL_VERTICAL_EDGE, [])
    with pytest.raises(ValueError, match="angles"):
        tuning_curve(SOBEL_VERTICAL_EDGE, [[0, 90]])
    with pytest.raises(ValueError, match="size"):
        tuning_curve(SOBEL_VERTICAL_EDGE, ANGLES, size=16)
    with pytest.raises(ValueError, match="at least"):
        tuning_curve(gabor_kernel(9, 0, 4), ANGLES, size=7)
    with pytest.raises(ValueError, match="width"):
        tuning_curve(SOBEL_VERTICAL_EDGE, ANGLES, width=0)
    with pytest.raises(ValueError, match="unit must be"):
        tuning_curve("sobel", ANGLES)
    with pytest.raises(ValueError, match="size is required"):
        tuning_curve(lambda images: images, ANGLES)
    with pytest.raises(ValueError, match=r"\(N, m, m\)"):
        tuning_curve(lambda images: images[0], ANGLES, size=9)
    layer = keras.layers.Conv2D(2, 3)
    with pytest.raises(ValueError, match="not built"):
        tuning_curve((layer, 0), ANGLES)
    layer.build((None, 9, 9, 1))
    with pytest.raises(ValueError, match="channel"):
        tuning_curve((layer, 2), ANGLES)
    with pytest.raises(ValueError, match="pair"):
        tuning_curve((layer, 0, 1), ANGLES)
    with pytest.raises(ValueError, match="bias"):
        tuning_curve((layer, 0), ANGLES, bias=1.0)
    with pytest.raises(ValueError, match="Conv2D"):
        tuning_curve((keras.layers.Dense(3), 0), ANGLES)
    strided = keras.layers.Conv2D(2, 3, strides=2)
    strided.build((None, 9, 9, 1))
    with pytest.raises(ValueError, match="strides"):
        tuning_curve((strided, 0), ANGLES)
    even = keras.layers.Conv2D(2, 4)
    even.build((None, 9, 9, 1))
    with pytest.raises(ValueError, match="odd"):
        tuning_curve((even, 0), ANGLES)
    with pytest.raises(ValueError, match="kind"):
        tuning_curve(SOBEL_VERTICAL_EDGE, ANGLES).selectivity("hyper")


def test_a_kernel_given_as_tuples_is_a_kernel():
    """A 3 x 3 kernel as a tuple of tuples is the same unit as the numpy array, not a (layer, channel)
    pair; the reference is scipy's correlation of the same bars, rectified."""
    as_tuples = tuple(tuple(float(v) for v in row) for row in SOBEL_VERTICAL_EDGE)
    tc = tuning_curve(as_tuples, ANGLES, size=15)
    bars = [oriented_bar(15, a, 2.0, np.inf) for a in ANGLES]
    maps = np.maximum([signal.correlate2d(b, np.asarray(as_tuples), mode="valid") for b in bars], 0)
    np.testing.assert_allclose(tc.complex, maps.max(axis=(1, 2)), atol=1e-12)
    np.testing.assert_allclose(tc.simple, maps[:, 6, 6], atol=1e-12)
    with pytest.raises(ValueError, match="odd"):          # a 2 x 2 tuple kernel is a kernel too (even)
        tuning_curve(((1, 0), (0, -1)), ANGLES)


def test_numbers_rule_nan_refused_bool_arrays_are_numbers():
    """The package's rule (helpers.validation): NaN/inf refused everywhere; a bool array is 0/1."""
    with pytest.raises(ValueError, match="finite"):
        orientation_selectivity([0, 90], [1.0, np.inf])
    with pytest.raises(ValueError, match="finite"):
        tuning_curve(SOBEL_VERTICAL_EDGE, [0, np.nan])
    mask = np.eye(3, dtype=bool)
    np.testing.assert_allclose(tuning_curve(mask, ANGLES).complex,
                               tuning_curve(mask.astype(float), ANGLES).complex)
    with pytest.raises(ValueError, match="real number"):
        oriented_bar(15, True, 2.0, 5.0)
