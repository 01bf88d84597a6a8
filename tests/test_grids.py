"""helpers.draw_conv_grid: the picture's output size and padding against what Keras computes;
helpers.conv_grid_legend: its entries against the patches a picture really has."""

import matplotlib.pyplot as plt  # without a display matplotlib draws with Agg; nothing is shown
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex

import helpers
from helpers import grids
from helpers.convolution import conv_geometry


def keras_output_side(n, f, p, s):
    """Keras' output side; an int p (and "full", p = f - 1) as ZeroPadding2D, then a "valid" Conv2D."""
    import keras

    x = np.zeros((1, n, n, 1), dtype="float32")
    if not isinstance(p, str) or p.lower() == "full":
        x = keras.layers.ZeroPadding2D(f - 1 if isinstance(p, str) else p)(x)
        p = "valid"
    return keras.layers.Conv2D(1, f, strides=s, padding=p.lower())(x).shape[1]


def draw(*args, **kwargs):
    fig, ax = plt.subplots()
    try:
        return helpers.draw_conv_grid(*args, ax=ax, **kwargs)
    finally:
        plt.close(fig)


def drawn_cells(*args, **kwargs):
    """draw_conv_grid's return value and the cells its picture shows, counted by colour: {"input": n^2,
    "padding": zeros drawn, "output": n_out^2}."""
    fig, ax = plt.subplots()
    try:
        n_out = helpers.draw_conv_grid(*args, ax=ax, **kwargs)
        faces = [to_hex(p.get_facecolor()) for p in ax.patches if p.get_fill() and p.get_width() == 1]
    finally:
        plt.close(fig)
    kinds = {grids.INPUT_COLOUR: "input", "#ffffff": "padding",
             grids.OUTPUT_COLOUR: "output", grids.OUTPUT_HIGHLIGHT: "output"}
    counts = {"input": 0, "padding": 0, "output": 0}
    for face in faces:
        if face in kinds:                 # not the filter (a 1 x 1 one is a cell's size)
            counts[kinds[face]] += 1
    return n_out, counts


def test_dumoulin_visin_examples():
    # (n, f, p, s) -> n_out, the figures of "A guide to convolution arithmetic for deep learning"
    cases = {(4, 3, 0, 1): 2, (5, 4, 2, 1): 6, (5, 3, 1, 1): 5, (5, 3, 2, 1): 7,
             (5, 3, 0, 2): 2, (5, 3, 1, 2): 3, (6, 3, 1, 2): 3}
    for (n, f, p, s), n_out in cases.items():
        assert draw(n, f, p, s) == n_out


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 9), f=st.integers(1, 5),
       p=st.one_of(st.integers(0, 3), st.sampled_from(["valid", "same", "full", "SAME", "Valid", "FULL"])),
       s=st.integers(1, 3))
def test_output_side_matches_keras(n, f, p, s):
    """The size returned and the grid drawn: n_out x n_out output cells as Keras computes n_out, n x n input
    cells, and the zeros of the padding's definition (p a side; "valid" none, "full" f - 1)."""
    pad = {"valid": 0, "same": f, "full": f - 1}.get(str(p).lower(), p)   # "same" always fits
    if f > n + 2 * pad:                   # no position for the filter: Keras has no output either
        with pytest.raises(ValueError, match="larger than the padded input"):
            draw(n, f, p, s)
        return
    n_out, cells = drawn_cells(n, f, p, s)
    keras_side = keras_output_side(n, f, p, s)
    assert n_out == keras_side and cells["output"] == keras_side ** 2 and cells["input"] == n * n
    if str(p).lower() != "same":
        assert cells["padding"] == (n + 2 * pad) ** 2 - n * n


@pytest.mark.parametrize("n, f, s", [(5, 3, 1), (6, 4, 1), (6, 3, 2), (7, 4, 2), (6, 2, 2), (5, 5, 3)])
def test_same_padding_is_keras_padding(n, f, s):
    """Keras' 'same' output equals a 'valid' convolution of the input padded as the picture pads it."""
    import keras

    before, after, _ = conv_geometry(n, f, "same", s)
    x = np.random.default_rng(0).random((1, n, n, 1)).astype("float32")
    conv = keras.layers.Conv2D(1, f, strides=s, padding="same", kernel_initializer="random_normal")
    same = np.asarray(conv(x))
    padded = np.pad(x, ((0, 0), (before, after), (before, after), (0, 0)))
    valid = np.asarray(keras.ops.conv(padded, conv.kernel, strides=s, padding="valid") + conv.bias)
    np.testing.assert_allclose(same, valid, atol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=0, f=3), "n"),
    (dict(n=5, f=0), "f"),
    (dict(n=5, f=3, s=0), "s"),
    (dict(n=5, f=3, p=-1), "padding"),
    (dict(n=5, f=3, p="half"), "'valid', 'same', 'full'"),
    (dict(n=5, f=3, p=1.0), "padding"),
    (dict(n=3, f=5), "larger than the padded input"),
    (dict(n=5, f=3, position=(3, 0)), "outside"),
    (dict(n=5, f=3, position=3), "pair"),
    (dict(n=5.0, f=3), "n"),
])
def test_bad_input_raises_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw(**kwargs)


def look(patch):
    """How matplotlib draws a patch: face and edge colour (RGBA, alpha applied), fill, line width and the
    dash pattern (a legend's proxy patch copies the pattern, not the line style's name)."""
    offset, dashes = patch._unscaled_dash_pattern
    return (tuple(patch.get_facecolor()), tuple(patch.get_edgecolor()), patch.get_fill(),
            patch.get_linewidth(), offset, tuple(dashes or ()))


def test_the_legend_shows_each_part_as_the_picture_draws_it():
    fig, (picture, key) = plt.subplots(1, 2)
    try:
        helpers.draw_conv_grid(5, 3, 1, 2, ax=picture)       # padding, a filter and its next position
        legend = helpers.conv_grid_legend(key)
        drawn = {look(patch) for patch in picture.patches}
        labels = [text.get_text() for text in legend.get_texts()]
        assert labels == ["input pixel", "zero padding", "filter position", "output cell", "one stride on"]
        for label, handle in zip(labels, legend.legend_handles):
            assert look(handle) in drawn, f"the legend's {label!r} is drawn unlike any part of the picture"
        assert key.get_legend() is legend and not key.axison
    finally:
        plt.close(fig)


@pytest.mark.parametrize("draw_it", [lambda ax: helpers.draw_conv_grid(5, 3, ax=ax), helpers.conv_grid_legend],
                         ids=["draw_conv_grid", "conv_grid_legend"])
@pytest.mark.parametrize("ax", ["left", 0, np.zeros(2)], ids=["str", "int", "array"])
def test_ax_that_is_not_axes_raises_value_error(draw_it, ax):
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        draw_it(ax)
