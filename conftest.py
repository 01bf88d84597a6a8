"""pytest configuration for the notebooks (nbval) and the unit tests."""

import os

import pytest

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


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """tools/lecture.py's site and decks of every notebook, built once for the session's browser tests
    (tests/test_lecture_mode.py, tests/test_handouts.py, tests/test_accessibility.py):
    {"root": folder, "site": [...], "slides": [...]}."""
    from tests.chromium import unavailable
    from tools import lecture

    missing = lecture.vendor(check_only=True)
    if missing:
        unavailable(f"the decks' JavaScript is not installed ({', '.join(missing)}): run `make vendor`")
    root = tmp_path_factory.mktemp("lecture")
    return {"root": root, **{kind: lecture.build(kind, root / kind) for kind in ("site", "slides")}}
