"""Figure style shared by the notebooks: readable from the back of a lecture room.

A figure is drawn at ``figure.dpi`` = 100 and shown at that size (``figsize`` inches x 100 CSS
pixels), so a font of ``s`` points is ``s / 72 * 100`` CSS pixels high on the page. With the sizes
below no text is smaller than 12 pt (16.7 px) as long as a figure is at most 12 inches wide, that
is no wider than a 1280 x 720 slide, where it is shown at its own size. Line plots and diagrams are
stored as retina PNG (twice the pixels, sharp on a projector); photographs as JPEG (pass
``formats=("jpeg",)``, or switch one notebook with ``%config InlineBackend.figure_formats``).
"""

import matplotlib as mpl
from cycler import cycler

#: The smallest text the course's figures use, in points (tick labels, legends, annotations).
MIN_FONT_PT = 12


#: Matplotlib's ten default colours (C0 blue, C1 orange, ...), each with a line style of its own: two curves
#: drawn without a style of their own differ in style as well as in colour, so that a colour-blind reader
#: tells them apart (WCAG 1.4.1: colour is not the only cue). The first is a plain solid line.
LINE_CYCLE = cycler(color=[mpl.colors.to_hex(c) for c in mpl.colormaps["tab10"].colors]) + cycler(linestyle=[
    "-", "--", ":", "-.", (0, (8, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (6, 2, 1, 2)),
    (0, (14, 4)), (0, (1, 1.5, 1, 1.5, 8, 2))])


def use_lecture_style(formats=("retina",)):
    """Fonts and sizes that stay readable on a projector, lines that differ in style as well as colour
    (``LINE_CYCLE``), gray images; inline figures in ``formats``.

    Colour maps: ``image.cmap`` is gray; a map that shows a magnitude should stay perceptually uniform
    (gray, viridis, cividis, magma), signed values get a diverging map centred at 0 (RdBu_r) with a
    colour bar or a title that says which colour is which sign.
    """
    mpl.rcParams.update({
        "axes.prop_cycle": LINE_CYCLE,
        "figure.figsize": (10, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "font.size": 14,
        "axes.titlesize": 16,
        "axes.labelsize": 14,
        "xtick.labelsize": MIN_FONT_PT,
        "ytick.labelsize": MIN_FONT_PT,
        "legend.fontsize": 13,
        "legend.title_fontsize": 13,
        "figure.titlesize": 17,
        "lines.linewidth": 2.0,
        "image.cmap": "gray",
        "image.interpolation": "nearest",
        "axes.grid": False,
    })
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:       # outside IPython: nothing to configure
        return
    set_matplotlib_formats(*formats)
