"""Convolution-arithmetic pictures: an input grid with its padding, one filter position, the output.

In the style of Dumoulin & Visin's "A guide to convolution arithmetic for deep learning" (the
vdumoulin/conv_arithmetic figures): blue cells are the n x n input, dashed white cells the zero
padding p, the dark square the f x f filter at one position, and the green grid the output. Moving
the filter by the stride s gives the next output cell (drawn dashed, in orange). Along each side,

    n_out = floor((n + 2p - f) / s) + 1,

computed, with the padding, by ``helpers.convolution.conv_geometry`` (the names "valid", "same",
"full" are defined in ``conv_output_size``).
"""

from . import validation
from .convolution import conv_geometry

__all__ = ["conv_grid_legend", "draw_conv_grid"]

INPUT_COLOUR = "#7fb3d5"
FILTER_COLOUR = "#1f4e79"
OUTPUT_COLOUR = "#76c7a3"
OUTPUT_HIGHLIGHT = "#1b7a50"
NEXT_COLOUR = "#e67e22"

#: How each part of a picture is drawn, by what it is; draw_conv_grid draws with these styles and
#: conv_grid_legend names them (the legend lists all but "output cell computed").
STYLES = {
    "input pixel": dict(facecolor=INPUT_COLOUR, edgecolor="white", lw=1.2),
    "zero padding": dict(facecolor="white", edgecolor="#9aa5b1", lw=0.9, ls="--"),
    "filter position": dict(facecolor=FILTER_COLOUR, alpha=0.55, edgecolor=FILTER_COLOUR, lw=2.5),
    "output cell": dict(facecolor=OUTPUT_COLOUR, edgecolor="white", lw=1.2),
    "output cell computed": dict(facecolor=OUTPUT_HIGHLIGHT, edgecolor="white", lw=1.2),
    "one stride on": dict(fill=False, edgecolor=NEXT_COLOUR, lw=2.5, ls="--"),
}


def _padding_label(p, before, after):
    if isinstance(p, int):
        return f"p = {p}"
    if before == after:
        return f"{p} (p = {before})"
    return f"{p} ({before} before, {after} after)"


def draw_conv_grid(n, f, p=0, s=1, ax=None, position=(0, 0), show_next=True, formula=True):
    """Draw an n x n input with padding p, an f x f filter at one ``position`` and the output grid.

    ``p`` is an int (p zeros on every side) or a name, "valid", "same" or "full" in any case, as
    defined in ``helpers.conv_output_size``; uneven padding ("same" with an even total) is drawn as
    it is, more zeros at the bottom and right. ``position`` is the (row, column) of the output cell
    whose filter window is drawn; with ``show_next`` the window one stride s to the right (or below,
    at a row's end) is outlined too. With ``formula`` the output-size formula is written under the
    picture:

        n_out = floor((n + 2p - f) / s) + 1.

    Draws into ``ax`` (a new figure when None) and returns n_out (``conv_output_size(n, f, p, s)``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    validation.axes_or_none(ax)
    before, after, n_out = conv_geometry(n, f, p, s)
    p = validation.padding(p)
    size = n + before + after
    pad_label = _padding_label(p, before, after)
    starts = [i * s for i in range(n_out)]           # where the filter starts along each side
    try:
        row, col = (int(v) for v in position)
    except (TypeError, ValueError):
        raise ValueError(f"position must be a (row, column) pair, got {position!r}") from None
    if not (0 <= row < n_out and 0 <= col < n_out):
        raise ValueError(f"position {position!r} is outside the {n_out} x {n_out} output")

    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * (size + n_out + 3), 0.45 * (size + 3)))
    gap = 2.0
    y_out = (size - n_out) / 2                       # the output grid, centred beside the input
    x_out = size + gap

    def cell(x, y, **style):
        ax.add_patch(Rectangle((x, y), 1, 1, **style))

    for r in range(size):
        for c in range(size):
            inside = before <= r < before + n and before <= c < before + n
            cell(c, r, **STYLES["input pixel" if inside else "zero padding"])
    r0, c0 = starts[row], starts[col]
    ax.add_patch(Rectangle((c0, r0), f, f, **STYLES["filter position"]))
    for r in range(n_out):
        for c in range(n_out):
            cell(x_out + c, y_out + r, **STYLES["output cell computed" if (r, c) == (row, col) else "output cell"])

    if show_next and n_out > 1 and (row, col) != (n_out - 1, n_out - 1):
        nrow, ncol = (row, col + 1) if col + 1 < n_out else (row + 1, 0)
        ax.add_patch(Rectangle((starts[ncol], starts[nrow]), f, f, **STYLES["one stride on"]))
        ax.add_patch(Rectangle((x_out + ncol, y_out + nrow), 1, 1, **STYLES["one stride on"]))

    ax.annotate("", xy=(x_out - 0.3, size / 2), xytext=(size + 0.3, size / 2),
                arrowprops=dict(arrowstyle="->", lw=1.5, color="#555555"))
    ax.set_xlim(-0.3, x_out + n_out + 0.3)
    ax.set_ylim(size + (1.8 if formula else 0.3), -0.3)   # row 0 at the top, as in an image
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"n = {n}, f = {f}, {pad_label}, s = {s}", fontsize=12)
    if formula:
        if p == "same":
            text = rf"$n_{{out}} = \lceil n / s \rceil = \lceil {n} / {s} \rceil = {n_out}$"
        else:
            text = (rf"$n_{{out}} = \lfloor ({n} + 2 \cdot {before} - {f}) / {s} \rfloor + 1 = {n_out}$"
                    if s > 1 else rf"$n_{{out}} = {n} + 2 \cdot {before} - {f} + 1 = {n_out}$")
        ax.text((x_out + n_out) / 2, size + 0.5, text, ha="center", va="top", fontsize=12)
    return n_out


def conv_grid_legend(ax=None):
    """What the parts of a ``draw_conv_grid`` picture are, as a legend alone in ``ax`` (its axes hidden).

    One entry each, drawn as the picture draws it (``STYLES``): input pixel, zero padding, filter
    position, output cell and, dashed, the filter one stride on. Draws into ``ax`` (a new figure when
    None) and returns the matplotlib Legend.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    validation.axes_or_none(ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(3, 2.5))
    handles = [Patch(label=name, **style) for name, style in STYLES.items() if name != "output cell computed"]
    ax.axis("off")
    return ax.legend(handles=handles, loc="center")
