"""Write the student edition of the course into student/, from the committed (instructor) notebooks.

The instructor's notebooks hold each exercise's solution between nbgrader's markers, in a cell with
nbgrader's solution metadata ("nbgrader": {"solution": true, "grade_id": "exNN-...", ...}):

    def output_size(n, f, p=0, s=1):
        \"\"\"Side of the output ...\"\"\"
        ### BEGIN SOLUTION
        return (n + 2 * p - f) // s + 1
        ### END SOLUTION

For every notebook in notebooks/ (the numbered ones and index.ipynb) this writes student/<same name>:
- nbgrader's own ClearSolutions preprocessor replaces each solution by a stub that raises
  NotImplementedError (the check in the next cell then prints "not done yet: <what to write>");
  it refuses a solution region in a cell without the solution metadata (enforce_metadata stays on);
- nbconvert's ClearOutputPreprocessor removes the outputs and execution counts;
- the Colab badge at the top points at the student copy; the "previous / contents / next" links lead
  to the student siblings (same file names); other relative links point back into notebooks/;
- the first cell says, under the navigation, that this is the student edition (notebooks with exercises).

    python -m tools.student          # rewrite student/ (only what changed)
    python -m tools.student --check  # exit 1 and name the files that are out of date
"""

import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor
from nbgrader.preprocessors import ClearSolutions

from tools import NOTEBOOKS, ROOT, nav  # nav: the one place for Colab URLs

STUDENT = ROOT / "student"
FOLDER = STUDENT.name

# What replaces a solution: the check in the next cell says what to write, the docstring above what
# the function returns.
CODE_STUB = "# YOUR CODE HERE (the docstring says what to return; the next cell checks it)\nraise NotImplementedError()"
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


def has_exercises(nb):
    return any(cell.get("metadata", {}).get("nbgrader", {}).get("solution") for cell in nb.cells)


def student_edition(path, siblings):
    """The student edition of one notebook (a new NotebookNode; the file is not touched)."""
    nb = nbformat.read(path, as_version=4)
    exercises = has_exercises(nb)
    clear = ClearSolutions(code_stub={"python": CODE_STUB}, enforce_metadata=True)
    nb, _ = clear.preprocess(nb, {})
    nb, _ = ClearOutputPreprocessor().preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _relink(cell.source, siblings)
    first = nb.cells[0]
    if exercises and first.cell_type == "markdown" and "<!-- /nav -->" in first.source:
        first.source = first.source.replace("<!-- /nav -->", "<!-- /nav -->\n\n" + NOTICE.format(name=path.name), 1)
    return nb


def main(check=False, out=STUDENT):
    out = Path(out)
    paths = sources()
    siblings = {p.name for p in paths}
    stale = []
    for path in paths:
        text = nbformat.writes(student_edition(path, siblings)) + "\n"
        target = out / path.name
        if not target.exists() or target.read_text() != text:
            stale.append(target)
            if not check:
                out.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
    orphans = sorted(p for p in out.glob("*.ipynb") if p.name not in siblings) if out.exists() else []
    for orphan in orphans:
        stale.append(orphan)
        if not check:
            orphan.unlink()
    for path in stale:
        what = "out of date" if check else ("removed" if path in orphans else "updated")
        print(f"{what}: {path.relative_to(out.parent) if path.is_relative_to(out.parent) else path}")
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
