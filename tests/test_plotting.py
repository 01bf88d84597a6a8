"""helpers.use_lecture_style: curves that differ in line style as well as colour, against matplotlib's defaults."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib import colors, rcParamsDefault  # noqa: E402

import helpers  # noqa: E402

NAMED = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dashdot"}


def dash_pattern(style):
    """A line style as (offset, on-off lengths) in line widths, named styles as matplotlib's rcParams draw them."""
    if isinstance(style, str):
        name = NAMED.get(style, style)
        return (0, None) if name == "solid" else (0, tuple(matplotlib.rcParams[f"lines.{name}_pattern"]))
    return (style[0], tuple(style[1]))


@pytest.fixture
def lecture_style():
    with matplotlib.rc_context():
        helpers.use_lecture_style()
        yield
    plt.close("all")


def test_curves_differ_in_style_as_well_as_colour(lecture_style):
    fig, ax = plt.subplots()
    lines = [ax.plot([0, 1], [i, i + 1])[0] for i in range(10)]
    default = [colors.to_hex(c) for c in rcParamsDefault["axes.prop_cycle"].by_key()["color"]]
    assert [colors.to_hex(line.get_color()) for line in lines] == default, "C0 ... C9 keep matplotlib's colours"
    styles = helpers.plotting.LINE_CYCLE.by_key()["linestyle"]
    assert [line.get_linestyle() for line in lines[:4]] == ["-", "--", ":", "-."]
    patterns = [dash_pattern(style) for style in styles]
    assert len(set(patterns)) == len(patterns) == 10, f"two curves of the cycle share a line style: {patterns}"
    assert lines[0].get_linestyle() == "-", "one curve alone is a plain solid line"
    assert {line.get_marker() for line in lines} == {"None"}, "no markers on every point of a dense curve"


def test_explicit_styles_and_other_plots_are_untouched(lecture_style):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    second = ax.plot([0, 1], [1, 2], "o-", color="C3")[0]
    assert (second.get_linestyle(), second.get_marker(), colors.to_hex(second.get_color())) == ("-", "o", "#d62728")
    fig.canvas.draw()
    assert matplotlib.rcParams["image.cmap"] == "gray"


def areas_and_points():
    """Two fills, bars, two bands and a scatter (each of the first two kinds takes the cycle's first and
    second entry), drawn: the figure's pixels."""
    fig, ax = plt.subplots(figsize=(4, 3), dpi=50)
    ax.fill([0, 1, 1], [0, 0, 1])
    ax.fill([0, 1, 1], [1, 1, 2])
    ax.bar([1, 2], [3, 4])
    ax.fill_between([0, 1], [0, 1])
    ax.fill_between([0, 1], [1, 2])
    ax.scatter([1, 2], [2, 1])
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_areas_and_scatter_are_drawn_as_without_the_line_styles(lecture_style):
    """The cycle's line styles and markers are for lines only: fills, bars, bands and scatter points look
    exactly as with a cycle of the same colours alone (pixel for pixel)."""
    styled = areas_and_points()
    colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    with matplotlib.rc_context({"axes.prop_cycle": cycler(color=colours)}):
        plain = areas_and_points()
    assert styled.shape == plain.shape and (styled != plain).sum() == 0, \
        f"{(styled != plain).any(axis=-1).sum()} pixels differ"
