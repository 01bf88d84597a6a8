"""pytest configuration for the notebooks (nbval) and the unit tests."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items):
    """nbval: do not compare stderr streams.

    What reaches stderr in these notebooks is noise whose text moves between machines and runs:
    TensorFlow's and absl's log lines (with timestamps and process ids) and library warnings.
    stdout, results and HTML are still compared, strictly.
    """
    for item in items:
        collector = getattr(item, "parent", None)
        skip = getattr(collector, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            collector.skip_compare = skip + ("stderr",)
