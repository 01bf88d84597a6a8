"""Keep the course's cross-links in step with the notebooks on disk.

Rewrites, from the notebooks in notebooks/ and the repository address in pyproject.toml:
- the Colab badge and the "previous / contents / next" links at the top and bottom of every notebook,
- the Colab install line of every setup cell,
- the table of contents in notebooks/index.ipynb and in README.md.

    python -m tools.nav          # rewrite what is out of date
    python -m tools.nav --check  # exit 1 and name the files that are out of date
"""

import re
import sys
import tomllib

import nbformat

from tools import NOTEBOOKS, ROOT, numbered_notebooks, title as title_in

NAV = re.compile(r"<!-- nav -->.*?<!-- /nav -->", re.S)
TOC = re.compile(r"<!-- toc -->.*?<!-- /toc -->", re.S)
# The setup cell's install line, as install_line() writes it, or as it read before $CNN_COURSE_HELPERS.
PIP = re.compile(r'%pip install -q "(?:cnn-course-helpers @ git\+[^"]*'
                 r"|\{os\.environ\.get\('CNN_COURSE_HELPERS', 'cnn-course-helpers @ git\+[^']*'\)\})\"")
BADGE_SVG = "https://colab.research.google.com/assets/colab-badge.svg"


def repository_url():
    """The course's public repository, from pyproject.toml (the one place that names it)."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return meta["project"]["urls"]["Repository"].rstrip("/")


def title(path):
    found = title_in(nbformat.read(path, as_version=4).cells[0].source)
    if not found:
        raise ValueError(f"{path.name}: the first cell must start with a '# Title' line")
    return found


def colab_url(path, folder="notebooks"):
    """Colab's address of a notebook on GitHub: the instructor's edition in notebooks/, or (folder=
    "student") the student edition that tools/student.py writes under the same name."""
    owner_repo = repository_url().removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{owner_repo}/blob/main/{folder}/{path.name}"


def colab_badge(path, folder="notebooks"):
    return f"[![Open In Colab]({BADGE_SVG})]({colab_url(path, folder)})"


def nav_line(path, order):
    i = order.index(path)
    parts = []
    if i > 0:
        parts.append(f"[< {title(order[i - 1])}]({order[i - 1].name})")
    parts.append("[Contents](index.ipynb)")
    if i + 1 < len(order):
        parts.append(f"[{title(order[i + 1])} >]({order[i + 1].name})")
    return " | ".join(parts)


def toc(link_prefix):
    rows = ["| # | Notebook | What it shows | Colab | Student edition |",
            "|---|---|---|---|---|"]
    for path in numbered_notebooks():
        nb = nbformat.read(path, as_version=4)
        summary = nb.metadata.get("course", {}).get("summary", "")
        rows.append(f"| {path.name[:2]} | [{title(path)}]({link_prefix}{path.name}) | {summary} "
                    f"| {colab_badge(path)} | {colab_badge(path, 'student')} |")
    return "<!-- toc -->\n" + "\n".join(rows) + "\n<!-- /toc -->"


def install_line():
    """The Colab branch's install: helpers from GitHub, or from $CNN_COURSE_HELPERS when it is set
    (`make colab` points it at a local clone; IPython expands the {...} in a %pip line)."""
    default = f"cnn-course-helpers @ git+{repository_url()}"
    return f"""%pip install -q "{{os.environ.get('CNN_COURSE_HELPERS', '{default}')}}\""""


def updated_notebook(path, order):
    nb = nbformat.read(path, as_version=4)
    # The closing cell is the last one that is not speaker notes (the closing slide's notes may follow it).
    first = nb.cells[0]
    last = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") != "notes"][-1]
    top = f"<!-- nav -->\n{colab_badge(path)}\n\n{nav_line(path, order)}\n<!-- /nav -->"
    bottom = f"<!-- nav -->\n{nav_line(path, order)}\n<!-- /nav -->"
    for cell, text in ((first, top), (last, bottom)):
        if cell.cell_type != "markdown" or not NAV.search(cell.source):
            raise ValueError(f"{path.name}: the first and the closing cell (the last that is not notes) "
                             "must be markdown with a <!-- nav --><!-- /nav --> block")
        cell.source = NAV.sub(lambda _, text=text: text, cell.source)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = PIP.sub(lambda _: install_line(), cell.source)
    return nb


def main(check=False):
    order = numbered_notebooks()
    stale = []
    targets = [(p, updated_notebook(p, order)) for p in order]
    index = nbformat.read(NOTEBOOKS / "index.ipynb", as_version=4)
    for cell in index.cells:
        if cell.cell_type == "markdown":
            cell.source = TOC.sub(lambda _: toc(""), cell.source)
    targets.append((NOTEBOOKS / "index.ipynb", index))
    for path, nb in targets:
        if nbformat.writes(nb) + "\n" != path.read_text():
            stale.append(path)
            if not check:
                nbformat.write(nb, path)
    readme = ROOT / "README.md"
    text = TOC.sub(lambda _: toc("notebooks/"), readme.read_text())
    if text != readme.read_text():
        stale.append(readme)
        if not check:
            readme.write_text(text)
    for path in stale:
        print(f"{'out of date' if check else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
