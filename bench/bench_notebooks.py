"""Time every notebook of the course, cell by cell, in a fresh kernel (as `make execute` runs them).

Budget on a 2-core laptop CPU: no cell over 5 s except cells tagged "training" (at most 60 s each),
and all notebooks together in at most 3 minutes. Prints the course's benchmark lines; a benchmark,
not a test: timings move with the machine's load.

    .venv/bin/python -m bench.bench_notebooks [notebooks/NN_name.ipynb ...]
"""

import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import numbered_notebooks



def _parse(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def cell_seconds(cell):
    """The cell's run time from the kernel's timestamps, or None when they are missing (not 0 s)."""
    t = cell.metadata.get("execution", {})
    start, end = t.get("iopub.execute_input"), t.get("shell.execute_reply")
    if not (start and end):
        return None
    return (_parse(end) - _parse(start)).total_seconds()


def run(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - t0
    cells = [(cell_seconds(c), i, "training" in c.metadata.get("tags", []))
             for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return wall, cells


def main(paths):
    total, worst_train, worst_other, missing = 0.0, (0.0, "-"), (0.0, "-"), []
    for path in paths:
        wall, cells = run(path)
        total += wall
        for seconds, index, training in cells:
            where = f"{path.name} cell {index}"
            if seconds is None:
                missing.append(where)
                continue
            if training and seconds > worst_train[0]:
                worst_train = (seconds, where)
            if not training and seconds > worst_other[0]:
                worst_other = (seconds, where)
        print(f"bench notebook_{path.stem}_seconds: {wall:.1f} s")
    print(f"bench notebooks_total_seconds: {total:.1f} s (goal <= 180)")
    print(f"bench slowest_training_cell_seconds: {worst_train[0]:.1f} s (goal <= 60)  [{worst_train[1]}]")
    print(f"bench slowest_other_cell_seconds: {worst_other[0]:.1f} s (goal <= 5)  [{worst_other[1]}]")
    if missing:
        print(f"bench cells_without_timing: {len(missing)} (missing, not counted)  [{', '.join(missing)}]")


if __name__ == "__main__":
    args = [Path(a).resolve() for a in sys.argv[1:]]
    main(args or numbered_notebooks())
