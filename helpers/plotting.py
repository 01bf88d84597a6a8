"""Figure style and small drawing helpers shared by the notebooks."""

import matplotlib as mpl


def use_lecture_style():
    """Fonts and sizes that stay readable on a projector; figures render crisply inline."""
    mpl.rcParams.update({
        "figure.figsize": (8, 4.5),
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "font.size": 13,
        "axes.titlesize": 14,
        "axes.labelsize": 13,
        "legend.fontsize": 11,
        "image.cmap": "gray",
        "image.interpolation": "nearest",
        "axes.grid": False,
    })
