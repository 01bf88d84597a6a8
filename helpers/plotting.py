"""Figure style shared by the notebooks: readable from the back of a lecture room.

A figure is drawn at ``figure.dpi`` = 100 and shown at that size (``figsize`` inches x 100 CSS
pixels), so a font of ``s`` points is ``s / 72 * 100`` CSS pixels high on the page. With the sizes
below no text is smaller than 12 pt (16.7 px) as long as a figure is at most 12 inches wide, that
is no wider than a 1280 x 720 slide, where it is shown at its own size. Line plots and diagrams are
stored as retina PNG (twice the pixels, sharp on a projector); photographs as JPEG (pass
``formats=("jpeg",)``, or switch one notebook with ``%config InlineBackend.figure_formats``).
"""

import matplotlib as mpl

#: The smallest text the course's figures use, in points (tick labels, legends, annotations).
MIN_FONT_PT = 12


def use_lecture_style(formats=("retina",)):
    """Fonts and sizes that stay readable on a projector; inline figures in ``formats``."""
    mpl.rcParams.update({
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
