"""The course's maintenance commands, run from the repository's root: ``python -m tools.NAME``.

What several of them need lives here, once: where the repository and its notebooks are, which
notebooks are the lecture's (numbered ``NN_name.ipynb``, in lecture order), how a notebook's title is
read, and which markers no cell holds. ``python -m tools`` prints the numbered notebooks, one a line
(the Makefile's list).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: A lecture notebook's file name: two digits, an underscore, a name (``05_padding_stride_channels.ipynb``).
NUMBERED = re.compile(r"\d\d_[^/]*\.ipynb")
#: A notebook's title: the first ``# Title`` line of its first cell.
TITLE = re.compile(r"^# (.+)$", re.M)
#: Grading and test markers (nbgrader's, otter-grader's and nbval's comments), which no cell holds: nbval
#: reads cell tags instead (nbval-ignore-output, raises-exception, nbval-skip), an exercise is a stub cell
#: and a solution cell (tools/student.py). What a slide, a page or a RISE slideshow must never show.
MARKER = re.compile(r"#+\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS|QUESTION|TESTS)\b"
                    r"|#\s*(NBVAL|PYTEST_VALIDATE)_[A-Z_]+")


def shown(path):
    """A path as a reader in the repository's folder types it (relative to it when inside)."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def numbered_notebooks(folder=NOTEBOOKS, suffix=".ipynb"):
    """The lecture's notebooks in ``folder``, in lecture order (or, with another suffix, the files built
    from them: ``numbered_notebooks(decks, ".slides.html")``)."""
    stem = NUMBERED.pattern.removesuffix(r"\.ipynb")
    return sorted(p for p in Path(folder).glob(f"*{suffix}")
                  if re.fullmatch(stem + re.escape(suffix), p.name))


def title(source):
    """The title in a first cell's markdown, or None."""
    match = TITLE.search(source)
    return match[1].strip() if match else None
