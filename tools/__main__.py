"""``python -m tools``: the lecture's notebooks, one path a line, relative to the repository."""

from tools import ROOT, numbered_notebooks

for path in numbered_notebooks():
    print(path.relative_to(ROOT))
