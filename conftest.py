"""pytest configuration for the notebooks (nbval) and the unit tests."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")


# `make test` runs the suite on every core (pytest-xdist): each group of tests runs on one worker, in
# order. A notebook's cells share its kernel (nbval), a module's tests share its fixtures (a JupyterLab
# server, a browser, the kernel that runs the student edition): one group per file. The longest groups go
# first, so that the workers finish together (the groups that LONGEST names, in its order, then the rest
# in collection order).
LONGEST = ("tests/test_student.py", "tests/test_rise.py", "notebooks/07_", "tests/test_lecture_mode.py",
           "tests/test_accessibility.py", "tests/test_handouts.py", "notebooks/", "tests/test_data.py")

# What `make unit` leaves out (marker "slow"): the tests that open a browser or a server (their modules
# mark themselves) and those that execute whole notebooks (here). What is left runs in about a minute.
SLOW = ("notebooks/", "tests/test_student.py::test_the_student_edition_executes_with_every_stub",
        "tests/test_student.py::test_the_reset_leaves_no_name_figure_or_setting_behind")


def group(nodeid):
    """The xdist group of a test, from its id: its file."""
    return nodeid.split("::", 1)[0]


def rank(nodeid):
    name = group(nodeid)
    return next((i for i, start in enumerate(LONGEST) if name.startswith(start)), len(LONGEST))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's loadscope scheduling, with the groups above (its own would split a module's tests by
    class, and its loadgroup cannot mark test ids with pytest 9), in the order of the collection."""
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return group(nodeid)

    config.option.loadscopereorder = False
    return ByGroup(config, log)


def pytest_collection_modifyitems(config, items):
    """nbval: do not compare stderr streams; the longest groups first (xdist); the marker "slow".

    What reaches stderr in these notebooks is noise whose text moves between machines and runs:
    TensorFlow's and absl's log lines (with timestamps and process ids) and library warnings.
    stdout, results and HTML are still compared, strictly.
    """
    for item in items:
        collector = getattr(item, "parent", None)
        skip = getattr(collector, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            collector.skip_compare = skip + ("stderr",)
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items[:] = sorted(items, key=lambda item: rank(item.nodeid))   # stable: each group keeps its order


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """tools/lecture.py's site and decks of every notebook, built once for the session's browser tests
    (tests/test_lecture_mode.py, tests/test_handouts.py, tests/test_accessibility.py):
    {"root": folder, "site": [...], "slides": [...]}. Under xdist the workers of one run share one build
    (in the run's own temporary folder, the first worker to need it builds it while the others wait)."""
    import fcntl
    import json
    from pathlib import Path

    from tests.chromium import unavailable
    from tools import lecture

    missing = lecture.vendor(check_only=True)
    if missing:
        unavailable(f"the decks' JavaScript is not installed ({', '.join(missing)}): run `make vendor`")
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "lecture"
    done = root / "built.json"
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        if not done.exists():
            written = {kind: [str(p) for p in lecture.build(kind, root / kind)] for kind in ("site", "slides")}
            done.write_text(json.dumps(written))
    return {"root": root, **{kind: [Path(p) for p in paths] for kind, paths in json.loads(done.read_text()).items()}}
