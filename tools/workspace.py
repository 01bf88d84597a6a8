"""Where a student works: a copy of the student edition (student/) that no command of the course writes.

    python -m tools.workspace          # what `make workspace` runs: student/*.ipynb -> workspace/
    python -m tools.workspace DIR      # the same into DIR

Every notebook of student/ that is not in the folder yet is copied there; one that is there is never
overwritten (a second run after a course update adds only the new notebooks). The folder sits beside
student/, so the notebooks' relative links (../notebooks/...) still lead where they should; it is
git-ignored, so `git pull` never touches it. `make student` rewrites student/, never this folder.
"""

import sys
from pathlib import Path

from tools import ROOT, shown

STUDENT = ROOT / "student"
WORKSPACE = ROOT / "workspace"


def copy_edition(out=WORKSPACE, edition=STUDENT):
    """Copy every notebook of ``edition`` into ``out`` that is not there yet; returns (copied, kept)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for path in sorted(Path(edition).glob("*.ipynb")):
        target = out / path.name
        try:
            with target.open("xb") as f:  # "x": fails if the file exists, so nothing is ever overwritten
                f.write(path.read_bytes())
        except FileExistsError:
            kept.append(target)
        else:
            copied.append(target)
    return copied, kept


def main(out=WORKSPACE):
    copied, kept = copy_edition(out)
    where = shown(out)
    print(f"{where}/: copied {len(copied)} notebook{'s' * (len(copied) != 1)} of the student edition"
          + (f"; kept the {len(kept)} already there as {'it is' if len(kept) == 1 else 'they are'}" if kept else "")
          + f". Work there (no command of the course writes into it): .venv/bin/jupyter lab {where}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
