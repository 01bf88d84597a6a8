"""The ImageNet challenge's history as a table: ILSVRC classification top-5 error, 2010-2017.

The table ships inside the package (``helpers/resources/ilsvrc_top5.csv``, package data), so the
installed helpers and the table always come from the same commit, and nothing is downloaded: on Colab
the notebook's setup cell installs both at once. Where each number comes from is in its ``source``
column and in ``data/README.md``.
"""

from importlib import resources

#: The table's columns, in order.
ILSVRC_COLUMNS = ("year", "kind", "team", "model", "top5_error_percent", "source")


def ilsvrc_top5():
    """The ILSVRC classification results as a pandas DataFrame, one row per entry.

    Columns: ``year`` (int), ``kind`` ("winner", "runner-up" or "human"), ``team``, ``model``,
    ``top5_error_percent`` (float, the share of test images whose true class is not among the five
    guesses, in percent) and ``source`` (the publication or results page that gives the number).
    A new DataFrame on every call: changing it changes nothing for the next caller.
    """
    import pandas as pd  # imported here: `import helpers` stays light

    with resources.files("helpers").joinpath("resources", "ilsvrc_top5.csv").open("r", encoding="utf-8") as f:
        table = pd.read_csv(f, dtype={"year": "int64", "top5_error_percent": "float64"})
    if tuple(table.columns) != ILSVRC_COLUMNS:
        raise ValueError(f"ilsvrc_top5.csv has the columns {list(table.columns)}, "
                         f"expected {list(ILSVRC_COLUMNS)}")
    return table
