"""Write the student edition of the course into student/, from the committed (instructor) notebooks.

Each exercise of the instructor's notebooks is two cells, with no marker in either (so that no slide,
page or RISE slideshow shows grading markers):

    def output_size(n, f, p=0, s=1):          # the stub: what the student edition shows
        \"\"\"Side of the output ...\"\"\"
        # YOUR CODE HERE (the docstring says what to return; the check tests it)
        raise NotImplementedError()

    def output_size(n, f, p=0, s=1):          # the solution: a cell of its own (a sub-slide)
        return (n + 2 * p - f) // s + 1

The solution cell carries nbgrader's cell metadata for a solution ("nbgrader": {"solution": true,
"grade_id": "exNN-...", ...}: a whole-cell solution in nbgrader's schema). Then one `check.NAME(...)`
call, which the instructor's edition passes and the student edition answers with "not done yet".

For every notebook in notebooks/ (the numbered ones and index.ipynb) this writes student/<same name>:
- the solution cells are left out, so the student's stub is followed by its check;
- nbconvert's ClearOutputPreprocessor removes the outputs and execution counts;
- the Colab badge at the top points at the student copy; the "previous / contents / next" links lead
  to the student siblings (same file names); other relative links point back into notebooks/;
- the first cell says, under the navigation, that this is the student edition (notebooks with exercises).

Each file it writes carries a fingerprint of its cells (``metadata.course.generated``). A notebook in
student/ whose cells no longer match it holds work of a student (answers, outputs): it is not
overwritten, the command names it, says how to keep it and exits 1, unless ``--force`` is given. A
student works in workspace/ instead (git-ignored), which tools/workspace.py fills (`make workspace`)
and nothing overwrites.

    python -m tools.student              # rewrite student/ (only what changed; never a student's work)
    python -m tools.student --force      # rewrite student/, edited notebooks too (make student FORCE=1)
    python -m tools.student --check      # exit 1 and name the files that are out of date
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor

from tools import NOTEBOOKS, nav  # nav: the one place for Colab URLs
from tools import shown
from tools.workspace import STUDENT, WORKSPACE

FOLDER = STUDENT.name

# The body of an exercise's stub: the docstring says what the function returns, the check what to write.
CODE_STUB = ("# YOUR CODE HERE (the docstring says what to return; the check tests it)\n"
             "raise NotImplementedError()")
NOTICE = ("> **Student edition.** Complete each function marked `# YOUR CODE HERE`, then run the cell after "
          "it: it checks your answer and says what is wrong, if anything. The instructor's edition, with "
          "the solutions and the outputs, is in [notebooks/](../notebooks/{name}).")
LINK = re.compile(r"(\]\(|(?:src|href)=\")([^)\"\s]+)")


def sources():
    """The instructor's notebooks the edition is made of: the numbered ones, then the contents."""
    return nav.numbered_notebooks() + [NOTEBOOKS / "index.ipynb"]


def _relink(text, siblings):
    """The Colab badge of the navigation block -> the student copy (a table of contents keeps both
    columns); relative links to anything but a sibling -> notebooks/."""

    def badge(block):
        text = block.group(0)
        for name in siblings:
            text = text.replace(nav.colab_url(NOTEBOOKS / name), nav.colab_url(NOTEBOOKS / name, folder=FOLDER))
        return text

    text = nav.NAV.sub(badge, text)

    def fix(match):
        opening, target = match.groups()
        if re.match(r"[a-z][a-z0-9+.-]*:|#|/|\.\./", target) or target.split("#")[0] in siblings:
            return match.group(0)
        return f"{opening}../notebooks/{target}"

    return LINK.sub(fix, text)


def is_solution(cell):
    """A solution cell: nbgrader's solution metadata on a cell of its own, after the exercise's stub."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def has_exercises(nb):
    return any(is_solution(cell) for cell in nb.cells)


def student_edition(path, siblings):
    """The student edition of one notebook (a new NotebookNode; the file is not touched)."""
    nb = nbformat.read(path, as_version=4)
    exercises = has_exercises(nb)
    nb.cells = [cell for cell in nb.cells if not is_solution(cell)]
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _relink(cell.source, siblings)
    first = nb.cells[0]
    if exercises and first.cell_type == "markdown" and "<!-- /nav -->" in first.source:
        first.source = first.source.replace("<!-- /nav -->", "<!-- /nav -->\n\n" + NOTICE.format(name=path.name), 1)
    nb.metadata.setdefault("course", {})["generated"] = fingerprint(nb)
    return nb


# ----------------------------------------------------------------------------- a student's work is kept


def fingerprint(nb):
    """What a student can change in a notebook, hashed: every cell's type, source, outputs and count."""
    cells = [[c.cell_type, c.source, c.get("outputs", []), c.get("execution_count")] for c in nb.cells]
    return "sha256:" + hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def _committed(path):
    """The file as the last commit holds it (bytes), or None (not in a git checkout, not committed)."""
    try:
        done = subprocess.run(["git", "-C", str(path.parent), "show", f"HEAD:./{path.name}"],
                              capture_output=True, check=False)
    except OSError:  # no git
        return None
    return done.stdout if done.returncode == 0 else None


def edited(path):
    """True when the notebook at ``path`` holds anything this tool did not write (a student's answers,
    outputs, cells): its cells no longer match the fingerprint written with them. A file written before
    fingerprints counts as the tool's only while it is the committed student edition, unchanged."""
    nb = nbformat.read(path, as_version=4)
    stamp = nb.metadata.get("course", {}).get("generated")
    if stamp is not None:
        return stamp != fingerprint(nb)
    return _committed(path) != path.read_bytes()


def refusal(kept):
    """What `make student` says about the notebooks it left as they were: which, why, and how to keep them."""
    names = [str(shown(p)) for p in kept]
    one = len(kept) == 1
    it, them = ("it", "it") if one else ("they", "them")
    copies = "\n".join(f"    mkdir -p {WORKSPACE.name} && cp -n {name} {WORKSPACE.name}/my_{p.name}"
                       for name, p in zip(names, kept))
    holds, is_, was = ("holds", "is", "was") if one else ("hold", "are", "were")
    return (f"make student: {', '.join(names)} {holds} what make student did not write (a student's answers "
            f"or outputs, or any change since it wrote {them}), so {it} {is_} left as {it} {was}.\n"
            f"To keep that work, copy {them} into {WORKSPACE.name}/, the folder where no command writes "
            f"(make workspace):\n{copies}\n"
            f"then `make student FORCE=1` (python -m tools.student --force) writes the new student edition "
            f"over {them}.")


def main(check=False, out=STUDENT, force=False):
    """Write the student edition into ``out``; 1 when ``check`` finds it out of date, or when a notebook
    there holds a student's work (``edited``) and is left as it is because ``force`` is False."""
    out = Path(out)
    paths = sources()
    siblings = {p.name for p in paths}
    stale, kept = [], []
    for path in paths:
        text = nbformat.writes(student_edition(path, siblings)) + "\n"
        target = out / path.name
        if not target.exists() or target.read_text() != text:
            if not (check or force) and target.exists() and edited(target):
                kept.append(target)
                continue
            stale.append(target)
            if not check:
                out.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
    orphans = sorted(p for p in out.glob("*.ipynb") if p.name not in siblings) if out.exists() else []
    for orphan in orphans:
        if not (check or force) and edited(orphan):
            kept.append(orphan)
            continue
        stale.append(orphan)
        if not check:
            orphan.unlink()
    for path in stale:
        what = "out of date" if check else ("removed" if path in orphans else "updated")
        print(f"{what}: {shown(path)}")
    if kept:
        print(refusal(kept), file=sys.stderr)
    return 1 if (check and stale) or kept else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the student edition into student/.")
    parser.add_argument("--check", action="store_true", help="only name the files that are out of date")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks that hold a student's work")
    args = parser.parse_args()
    sys.exit(main(check=args.check, force=args.force))
