"""Hubel & Wiesel in silico: oriented bars, Gabor kernels and orientation tuning of units.

Conventions, shared by every function here (and by notebook 04):

- An image is a 2-D array indexed ``image[row, col]``; rows go **down**, as on the screen.
- Angles are in **degrees**, 0 = horizontal, **counter-clockwise positive as seen on the screen**
  (so 90 = vertical, 45 = rising from bottom-left to top-right). Orientations repeat every 180.
- Geometry uses x = col - c_col (to the right) and y = c_row - row (**up**), so the direction of a
  bar at angle theta is (cos theta, sin theta) in (x, y). Along and across the bar:
  u = x cos theta + y sin theta,  v = -x sin theta + y cos theta.
- The stimulus of the experiments is a **dark bar on a light background**: background 1.0, bar
  1.0 + contrast with contrast = -1.0, i.e. black (0) on white (1).
- A "unit" is an f x f filter K with bias b, read by cross-correlation (the course's
  ``helpers.correlate2d``, what a Conv2D layer computes). Its response at output position (i, j) is
  a firing rate, so it is rectified: r[i, j] = max(0, sum_{k,l} K[k, l] x[i + k, j + l] + b).
"""

from dataclasses import dataclass

import numpy as np

from . import validation

__all__ = ["oriented_bar", "gabor_kernel", "orientation_selectivity", "tuning_curve", "TuningCurve"]


# ----------------------------------------------------------------------------- validation


def _real(value, name, positive=False, allow_inf=False):
    """A scalar argument, by the package's rule for numbers (helpers.validation)."""
    return (validation.positive_number if positive else validation.real_number)(value, name, allow_inf=allow_inf)


def _angles(angles):
    try:
        arr = validation.real_array(np.atleast_1d(angles), "angles", (1,), "(k,), degrees")
    except ValueError as err:
        raise ValueError(f"angles must be a non-empty 1-D sequence of finite numbers (degrees), got "
                         f"{angles!r}: {err}") from None
    return arr.astype(float)


def _cos_sin(angle):
    """cos and sin of an angle in degrees, exact at multiples of 90 (a vertical bar has no 1e-16 tilt)."""
    quarter = angle % 360 / 90
    if quarter == int(quarter):
        return ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0))[int(quarter)]
    theta = np.deg2rad(angle)
    return float(np.cos(theta)), float(np.sin(theta))


# ----------------------------------------------------------------------------- stimuli and kernels


def oriented_bar(size, angle, width, length, center=None, contrast=-1.0, *, background=1.0):
    """An image of a straight bar at ``angle`` degrees on a uniform background.

    Pixel (row, col) has x = col - c_col, y = c_row - row (y up, as on the screen) relative to the
    bar's centre c = ``center``, and bar coordinates u = x cos theta + y sin theta (along the bar),
    v = -x sin theta + y cos theta (across it). The image is

        image = background + contrast * a_u * a_v,
        a_u = clip(length / 2 + 1/2 - |u|, 0, min(1, length)),
        a_v = clip(width / 2 + 1/2 - |v|, 0, min(1, width)),

    i.e. 1 inside the rectangle |u| <= length / 2, |v| <= width / 2 and 0 outside, each edge
    smoothed over one pixel: a_v is the overlap of the pixel [v - 1/2, v + 1/2] with the bar's
    cross-section [-width / 2, width / 2] (anti-aliasing; the exact pixel coverage when the bar is
    axis-aligned). So the bar's darkness sums to about width * length pixels (exactly, when it is
    axis-aligned and inside the image), and a bar thinner than a pixel is faint rather than lost.

    Parameters
    ----------
    size : int or (rows, cols)
        Image shape; an int gives a square image.
    angle : float
        Degrees, 0 = horizontal, counter-clockwise positive as seen on the screen (rows go down):
        90 is vertical, 45 rises from bottom-left to top-right.
    width, length : float
        The bar's extent across and along its axis, in pixels (> 0). ``length=np.inf`` draws a bar
        that crosses the whole image, with no visible ends.
    center : (row, col), optional
        Where the bar's centre is, in pixel coordinates (floats allowed, anywhere, even outside the
        image). Default: the image's centre ((rows - 1) / 2, (cols - 1) / 2).
    contrast : float
        Bar value minus background value. The default -1.0 draws black (0) on white (1), the dark
        bar on a light background of Hubel & Wiesel's experiments; use background=0, contrast=1 for
        a white stroke on black, like the MNIST digits.
    background : float, keyword-only
        Value of the uniform background (default 1.0).

    Returns
    -------
    numpy.ndarray of float64, shape (rows, cols).
    """
    rows, cols = validation.int_pair(size, "size")
    cos, sin = _cos_sin(_real(angle, "angle"))
    width = _real(width, "width", positive=True)
    length = _real(length, "length", positive=True, allow_inf=True)
    contrast = _real(contrast, "contrast")
    background = _real(background, "background")
    if center is None:
        c_row, c_col = (rows - 1) / 2, (cols - 1) / 2
    else:
        try:
            c_row, c_col = center
        except (TypeError, ValueError):
            raise ValueError(f"center must be a (row, col) pair of numbers, got {center!r}") from None
        c_row, c_col = _real(c_row, "center[0] (row)"), _real(c_col, "center[1] (col)")
    y = (c_row - np.arange(rows, dtype=float))[:, None]
    x = (np.arange(cols, dtype=float) - c_col)[None, :]
    u = x * cos + y * sin
    v = -x * sin + y * cos
    a_u = np.clip(length / 2 + 0.5 - np.abs(u), 0.0, min(1.0, length))
    a_v = np.clip(width / 2 + 0.5 - np.abs(v), 0.0, min(1.0, width))
    return background + contrast * a_u * a_v


def gabor_kernel(size, angle, wavelength, sigma=None, phase=0.0, aspect=0.5, zero_mean=True):
    """An f x f Gabor kernel (a model of a V1 simple cell) that prefers bars at ``angle`` degrees.

    With c = (f - 1) / 2, x = j - c, y = c - i (y up) and the bar coordinates of ``oriented_bar``,
    u = x cos theta + y sin theta (along the preferred bar), v = -x sin theta + y cos theta (across):

        K[i, j] = exp(-(v^2 + gamma^2 u^2) / (2 sigma^2)) * cos(2 pi v / lambda + phi)

    The stripes run along ``angle``. phase phi = 0 gives a bright centre stripe (prefers a light
    bar), phi = pi a dark one (prefers the dark bar of the experiments), phi = +-pi/2 an edge
    detector. With ``zero_mean`` the kernel's mean response to a uniform image is removed by
    subtracting a multiple of the Gaussian envelope, K <- K - (sum K / sum E) E, so the unit answers
    to contrast only, not to the background's brightness.

    This is skimage.filters.gabor_kernel's real part (up to its 1 / (2 pi sigma_x sigma_y) factor)
    with theta_skimage = 90 deg - angle, sigma_x = sigma, sigma_y = sigma / gamma, offset = -phase.

    Parameters
    ----------
    size : int
        f, the odd side of the kernel.
    angle : float
        Preferred orientation in degrees (0 = horizontal, counter-clockwise positive on the screen).
    wavelength : float
        lambda, the period of the stripes in pixels (> 0).
    sigma : float, optional
        Width of the envelope across the stripes; default 0.5 * wavelength.
    phase : float
        phi in radians.
    aspect : float
        gamma > 0; the envelope is 1 / gamma times longer along the stripes than across them.
    zero_mean : bool
        Remove the response to a uniform image (default True).
    """
    f = validation.odd_int(size, "size")
    cos, sin = _cos_sin(_real(angle, "angle"))
    lam = _real(wavelength, "wavelength", positive=True)
    sigma = 0.5 * lam if sigma is None else _real(sigma, "sigma", positive=True)
    phase = _real(phase, "phase")
    gamma = _real(aspect, "aspect", positive=True)
    c = (f - 1) / 2
    y = (c - np.arange(f, dtype=float))[:, None]
    x = (np.arange(f, dtype=float) - c)[None, :]
    u = x * cos + y * sin
    v = -x * sin + y * cos
    envelope = np.exp(-(v**2 + gamma**2 * u**2) / (2 * sigma**2))
    kernel = envelope * np.cos(2 * np.pi * v / lam + phase)
    if zero_mean:
        kernel = kernel - kernel.sum() / envelope.sum() * envelope
    return kernel


# ----------------------------------------------------------------------------- tuning


def orientation_selectivity(angles, responses):
    """Orientation selectivity index and preferred orientation of a tuning curve (vector method).

    Orientations repeat every 180 degrees, so each response r_k votes for the doubled angle:

        z = sum_k r_k exp(2 i theta_k) / sum_k r_k,   OSI = |z|,   preferred = arg(z) / 2 (mod 180)

    OSI = 1 for a unit that answers at one orientation only, 0 for one that answers equally to all
    (1 minus the circular variance). It assumes ``angles`` sample [0, 180) (or [0, 360)) evenly and
    ``responses`` are rectified (>= 0). A unit that never answers gets OSI 0 and preferred NaN.

    Returns
    -------
    (osi, preferred) : (float, float), preferred in degrees in [0, 180).
    """
    theta = _angles(angles)
    r = np.asarray(responses)
    if r.shape != theta.shape:
        raise ValueError(f"responses must have one value per angle: {theta.shape} angles, shape {r.shape} responses")
    r = validation.real_array(r, "responses", (1,), "(k,), one per angle").astype(float)
    if np.any(r < 0):
        raise ValueError("responses must be finite and non-negative (rectified firing rates)")
    total = r.sum()
    if total == 0:
        return 0.0, float("nan")
    z = np.sum(r * np.exp(2j * np.deg2rad(theta))) / total
    preferred = float(np.rad2deg(np.angle(z)) / 2 % 180)
    return float(abs(z)), preferred


@dataclass(frozen=True, eq=False)
class TuningCurve:
    """Responses of one unit to bars at ``angles`` (degrees), from ``tuning_curve``.

    maps:       the rectified response maps, shape (len(angles), m, m): one per bar, over the positions
                where the unit's field lies inside the image.
    simple[k]:  (from maps) the centre of map k: the unit whose receptive field is centred on the image
                (a simple cell: it cares where the bar is).
    complex[k]: (from maps) the maximum of map k over all positions (a complex cell = max-pooling over
                positions: it does not care).
    """

    angles: np.ndarray
    maps: np.ndarray

    @property
    def simple(self):
        m = self.maps.shape[1]
        return self.maps[:, (m - 1) // 2, (m - 1) // 2]

    @property
    def complex(self):
        return self.maps.reshape(len(self.maps), -1).max(axis=1)

    def selectivity(self, kind="complex"):
        """(OSI, preferred angle) of the simple or complex responses: see orientation_selectivity."""
        validation.one_of(kind, "kind", ("simple", "complex"))
        return orientation_selectivity(self.angles, getattr(self, kind))


def _kernel_unit(kernel, bias):
    """A 2-D kernel -> respond(images (N, n, n)) -> valid response maps, and its side f."""
    from .convolution import correlate2d  # the course's own convolution

    k = validation.real_array(kernel, "the kernel", (2,), "(f, f): a square 2-D array, f odd")
    if k.shape[0] != k.shape[1]:
        raise ValueError(f"a kernel unit must be a square 2-D numeric array, got shape {k.shape}")
    validation.odd_int(k.shape[0], "the kernel's side")
    k = k.astype(float)

    def respond(images):
        return np.stack([correlate2d(img, k, padding="valid") for img in images]) + bias

    return respond, k.shape[0]


def _keras_unit(layer, channel):
    """(Conv2D layer, channel) -> respond(images) -> valid response maps of that channel, and f."""
    needed = ("kernel_size", "padding", "strides", "dilation_rate", "get_weights", "data_format")
    if not all(hasattr(layer, a) for a in needed):
        raise ValueError(f"a (layer, channel) unit needs a Keras Conv2D layer, got {type(layer).__name__}")
    weights = layer.get_weights()
    if not weights:
        raise ValueError("the Conv2D layer is not built yet: build it or call it on an input first")
    k_rows, k_cols, c_in, c_out = weights[0].shape
    if not validation.is_int(channel) or not 0 <= channel < c_out:
        raise ValueError(f"channel must be an integer in [0, {c_out}) for this layer, got {channel!r}")
    if tuple(layer.strides) != (1, 1):
        raise ValueError(f"the layer must have strides (1, 1) (one unit per position), got {tuple(layer.strides)}")
    if layer.data_format != "channels_last":
        raise ValueError(f"the layer must use data_format='channels_last', got {layer.data_format!r}")
    if layer.padding not in ("valid", "same"):
        raise ValueError(f"the layer's padding must be 'valid' or 'same', got {layer.padding!r}")
    d_r, d_c = layer.dilation_rate
    f_r, f_c = d_r * (k_rows - 1) + 1, d_c * (k_cols - 1) + 1
    if f_r != f_c:
        raise ValueError(f"the layer's receptive field must be square, got {f_r} x {f_c}")
    f = validation.odd_int(f_r, "the layer's receptive-field side")

    def respond(images):
        x = np.repeat(images[..., None], c_in, axis=-1).astype("float32")  # gray -> every input channel
        out = np.asarray(layer(x))[..., channel].astype(float)
        if layer.padding == "same":  # keep only the units whose field lies inside the image
            top = (f - 1) // 2
            n = images.shape[1]
            out = out[:, top:n - f + top + 1, top:n - f + top + 1]
        return out

    return respond, f


def _callable_unit(fn):
    def respond(images):
        out = np.asarray(fn(images), dtype=float)
        n = images.shape[1]
        if out.ndim != 3 or out.shape[0] != len(images) or out.shape[1] != out.shape[2]:
            raise ValueError("a callable unit must map images (N, n, n) to response maps (N, m, m), "
                             f"got {out.shape} for input {images.shape}; for one channel of a Keras "
                             "layer pass (layer, channel)")
        if (n - out.shape[1]) % 2 or out.shape[1] > n:
            raise ValueError(f"a callable unit's maps (m = {out.shape[1]}) must be centred on the image "
                             f"(n = {n}): n - m even and >= 0")
        return out

    return respond


def _is_layer_pair(unit):
    """A tuple that is not a kernel: a kernel given as a tuple of tuples holds only numbers."""
    if not isinstance(unit, tuple):
        return False
    try:
        return np.asarray(unit).dtype.kind not in "biuf"
    except ValueError:  # ragged: (layer, channel) with a layer numpy cannot size
        return True


def tuning_curve(unit, angles, size=None, width=2.0, length=np.inf, shift=0.0,
                 contrast=-1.0, background=1.0, bias=0.0):
    """Orientation tuning of a unit: its responses to bars at each angle, as in the experiments.

    For each angle theta_k, the stimulus is x_k = oriented_bar(n, theta_k, width, length, center=c
    + shift * (-sin theta_k, cos theta_k) in (x, y-up)), i.e. a bar whose axis passes at distance
    ``shift`` from the image centre c, moved along its normal (theta + 90 deg: up for a horizontal
    bar, left for a vertical one). The unit's rectified response map over the positions where its
    f x f field lies inside the image ("valid" correlation, no padding artefacts) is

        r_k[i, j] = max(0, sum_{p,q} K[p, q] x_k[i + p, j + q] + b)     (m = n - f + 1 positions)

    and the two cells of Hubel & Wiesel are

        simple[k]  = r_k[(m - 1) / 2, (m - 1) / 2]   the unit whose field is centred on the image
        complex[k] = max_{i,j} r_k[i, j]             max-pooling over positions

    Parameters
    ----------
    unit : one of
        - an f x f kernel K (f odd; a numpy array, or nested lists or tuples of numbers such as
          ``((1, 0, -1),) * 3``), correlated with the course's
          ``helpers.correlate2d``; ``bias`` is added;
        - a pair ``(layer, channel)``: channel ``channel`` of a built Keras ``Conv2D`` layer with
          strides 1 and an odd square field. The layer is called on the bars (the gray bar is
          copied into every input channel), its own bias and activation included; with
          padding="same" only the units whose field lies inside the image are kept;
        - a callable mapping images (N, n, n) to response maps (N, m, m) centred on the image
          (n - m even), e.g. a wrapped Keras model.
        Responses are rectified (ReLU) in every case, as a firing rate would be.
    angles : sequence of float
        Bar orientations in degrees (0 = horizontal, counter-clockwise on the screen).
    size : int, optional
        n, the odd side of the square image; default max(3 f, 15) (the field plus room to move).
        For a callable unit it is required.
    width, length : float
        The bar (see ``oriented_bar``); by default 2 pixels wide and crossing the whole image.
    shift : float
        Distance of the bar's axis from the image centre, along the bar's normal, in pixels.
    contrast, background : float
        Bar minus background, and background (default: black bar on white, as in the experiments;
        for a unit trained on MNIST use background=0, contrast=1: a white stroke on black).
    bias : float
        b, added to a kernel unit's correlation (must stay 0 for the other kinds of unit).

    Returns
    -------
    TuningCurve with fields angles and maps, and simple and complex (arrays of len(angles)) read from them.
    """
    theta = _angles(angles)
    bias = _real(bias, "bias")
    if _is_layer_pair(unit):
        if len(unit) != 2:
            raise ValueError(f"a layer unit must be a (layer, channel) pair, got a tuple of {len(unit)}")
        if bias:
            raise ValueError("bias is only for a kernel unit; a Keras layer uses its own bias")
        respond, f = _keras_unit(*unit)
    elif isinstance(unit, (np.ndarray, list, tuple)):
        respond, f = _kernel_unit(unit, bias)
    elif callable(unit):
        if bias:
            raise ValueError("bias is only for a kernel unit; add it inside your callable")
        if size is None:
            raise ValueError("size is required for a callable unit (its field size is unknown)")
        respond, f = _callable_unit(unit), 1
    else:
        raise ValueError("unit must be a 2-D kernel array, a (Conv2D layer, channel) pair or a callable, "
                         f"got {type(unit).__name__}")
    n = max(3 * f, 15) if size is None else validation.odd_int(size, "size")
    if n < f:
        raise ValueError(f"size ({n}) must be at least the unit's field side f = {f}")
    shift = _real(shift, "shift")
    c = (n - 1) / 2
    images = []
    for t in theta:
        cos, sin = _cos_sin(t)
        center = (c - shift * cos, c - shift * sin)      # (row, col): moved by shift along (-sin, cos) in (x, y-up)
        images.append(oriented_bar(n, t, width, length, center=center, contrast=contrast, background=background))
    images = np.stack(images)
    return TuningCurve(angles=theta, maps=np.maximum(respond(images), 0.0))
