"""Hygiene of the committed notebooks: executed in order, clean outputs, links, Colab, slides."""

import json
import re

import pytest

from tools import MARKER, ROOT, nav, numbered_notebooks

NB_DIR = ROOT / "notebooks"
NUMBERED = numbered_notebooks()
ALL = NUMBERED + [NB_DIR / "index.ipynb"]


LOCAL_PATH = re.compile(r"(/(home|root|work|Users|tmp)/[\w.-]+|[A-Za-z]:\\\\Users)")
LINK = re.compile(r"\]\(([^)\s]+)\)")
ANIMATION = "_anim_img"   # the frame of a matplotlib animation's HTML player (anim.to_jshtml())
SLIDE_COLUMNS = 80        # the longest code line a slide shows unwrapped at 1280 x 720


def slide_type(cell):
    return cell["metadata"].get("slideshow", {}).get("slide_type", "-")


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def src(cell):
    return "".join(cell["source"])


def test_there_are_numbered_notebooks():
    assert NUMBERED, "notebooks/ holds no NN_name.ipynb"
    numbers = [int(p.name[:2]) for p in NUMBERED]
    assert numbers == list(range(1, len(NUMBERED) + 1)), f"numbering has gaps: {numbers}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_executed_top_to_bottom(path):
    counts = [c["execution_count"] for c in code_cells(load(path)) if src(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), f"run `make execute`: counts are {counts}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_stored_errors_unless_expected(path):
    for cell in code_cells(load(path)):
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        if errors:
            assert "raises-exception" in cell["metadata"].get("tags", []), f"unexpected error: {errors[0]['ename']}"


@pytest.mark.parametrize("path", ALL + sorted((ROOT / "student").glob("*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_grading_or_test_marker_in_any_cell(path):
    """Markers would show on the slides, the pages and RISE: nbval reads cell tags, exercises are a stub
    and a solution cell (tools/student.py)."""
    found = [f"cell {i}: {MARKER.search(src(c))[0]!r}" for i, c in enumerate(load(path)["cells"])
             if MARKER.search(src(c))]
    assert not found, f"{path.name}: markers in cells (use the cell tags nbval-ignore-output, raises-exception, " \
        f"nbval-skip; an exercise is a stub cell and a solution cell): {found}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_kernelspec_size_and_no_local_paths(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert path.stat().st_size < 3_000_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            text = json.dumps({k: v for k, v in out.items() if k != "data"})
            text += json.dumps({k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")})
            assert not LOCAL_PATH.search(text), f"a local path in an output: {LOCAL_PATH.search(text)[0]}"


@pytest.mark.parametrize("path", ALL + sorted((ROOT / "student").glob("*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_stored_widget_state(path):
    """A widget's live form needs a kernel; its still image is in the cell's own output. Widget state stored
    in the metadata (nbclient stores it when it executes a notebook) would be models of one ipywidgets version,
    which another cannot restore (the page then logs "Module @jupyter-widgets/controls ... is not registered")."""
    assert "widgets" not in load(path)["metadata"], \
        f"{path.name} stores widget state: `make execute` removes it after the run"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_badge_and_navigation(path):
    nb = load(path)
    # The closing slide's speaker notes may follow its cell: the closing cell is the last one that is not notes.
    shown = [c for c in nb["cells"] if slide_type(c) != "notes"]
    first, last = src(shown[0]), src(shown[-1])
    assert first.startswith("# "), "the first cell opens with the notebook's title"
    assert f"({nav.colab_url(path)})" in first and "colab-badge.svg" in first, "no Colab badge"
    for cell in (first, last):
        assert "[Contents](index.ipynb)" in cell, "no link to the contents"
    i = NUMBERED.index(path)
    if i > 0:
        assert f"]({NUMBERED[i - 1].name})" in first and f"]({NUMBERED[i - 1].name})" in last
    if i + 1 < len(NUMBERED):
        assert f"]({NUMBERED[i + 1].name})" in first and f"]({NUMBERED[i + 1].name})" in last
    assert "<details>" in last, "the closing cell has exercises with folded solutions"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_relative_links_point_at_existing_files(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in LINK.findall(src(cell)):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            assert (path.parent / target.split("#")[0]).exists(), f"broken link {target}"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_one_setup_cell_with_colab_branch(path):
    setup = [c for c in code_cells(load(path)) if "google.colab" in src(c)]
    assert len(setup) == 1, "exactly one setup cell has the Colab branch"
    text = src(setup[0])
    assert nav.install_line() in text, "the Colab install line is stale: run `make nav`"
    assert re.search(r'if "google.colab" in sys.modules:\n    %pip install', text)
    assert text.index("TF_CPP_MIN_LOG_LEVEL") < text.index("import helpers")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    allowed = {"slide", "subslide", "fragment", "-", "skip", "notes"}
    for i, cell in enumerate(load(path)["cells"]):
        kind = cell["metadata"].get("slideshow", {}).get("slide_type")
        assert kind in allowed, f"cell {i} has no slideshow.slide_type (one of {sorted(allowed)})"
    assert load(path)["cells"][0]["metadata"]["slideshow"]["slide_type"] == "slide"



@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_figure_is_described(path):
    """A cell that draws a figure or an animation says in words what it shows (cell metadata "alt"): the
    site's and the decks' templates give it to the image as its alternative text, for screen readers and
    for images that fail."""
    for i, cell in enumerate(code_cells(load(path))):
        figures = [o for o in cell.get("outputs", []) if {"image/png", "image/jpeg"} & set(o.get("data", {}))
                   or ANIMATION in "".join(o.get("data", {}).get("text/html", ""))]
        if figures:
            alt = cell["metadata"].get("alt", "")
            assert isinstance(alt, str) and len(alt.split()) >= 5, \
                f"code cell {i} ({src(cell)[:40]!r}) draws a figure without a description: set metadata.alt"

@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_code_on_slides_fits_80_columns(path):
    """The decks wrap longer lines, but a line of at most 80 characters reads as one line on a slide."""
    long = [f"cell {i}, line {n}: {len(line)} characters: {line[:60]!r}..."
            for i, cell in enumerate(load(path)["cells"]) if cell["cell_type"] == "code" and slide_type(cell) != "skip"
            for n, line in enumerate(src(cell).splitlines(), start=1) if len(line) > SLIDE_COLUMNS]
    assert not long, f"{path.name}: code lines on slides longer than {SLIDE_COLUMNS} characters:\n" + "\n".join(long)


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_every_main_slide_has_speaker_notes(path):
    """Each slide (from a cell of slide type "slide" to the next one, its sub-slides included) carries a
    markdown cell of slide type "notes": what to say, what to ask, the answers students give, the time."""
    cells = load(path)["cells"]
    starts = [i for i, c in enumerate(cells) if slide_type(c) == "slide"]
    code_notes = [i for i, c in enumerate(cells) if slide_type(c) == "notes" and c["cell_type"] != "markdown"]
    assert not code_notes, f"{path.name}: notes are markdown cells; cells {code_notes} are code"
    bare = [f"cell {a}: {src(cells[a]).strip().splitlines()[0][:60] if src(cells[a]).strip() else ''!r}"
            for a, b in zip(starts, starts[1:] + [len(cells)])
            if not any(slide_type(c) == "notes" for c in cells[a:b])]
    assert not bare, f"{path.name}: slides without speaker notes:\n" + "\n".join(bare)


def test_links_tables_and_badges_are_in_step():
    assert "<!-- toc -->" in (ROOT / "README.md").read_text(), "README.md lost its table of contents"
    assert nav.main(check=True) == 0, "run `make nav`: badges, links or tables of contents are stale"


def test_repository_address_is_written_once():
    url = nav.repository_url()
    owner_repo = url.removeprefix("https://github.com/")
    sources = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".toml", ".md", ".yml", ".cfg"}
               and not any(part.startswith(".venv") for part in p.parts)  # .venv, make colab's .venv-colab
               and ".git" not in p.parts and "build" not in p.parts]
    holders = [p.relative_to(ROOT).as_posix() for p in sources if owner_repo in p.read_text()]
    # README.md carries generated badges (rewritten by `make nav`), pyproject.toml the address.
    assert set(holders) <= {"pyproject.toml", "README.md"}, holders
