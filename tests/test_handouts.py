"""Handouts (`make handouts`, tools/handouts.py): every deck as a PDF, one 16:9 page per slide, and the
lecturer's copy with the notes under each slide; read back with poppler's pdfinfo, pdftotext, pdftoppm.

Printed from the decks of `make slides` (the `built` fixture, conftest.py), offline, in Debian's
chromium. Without chromium, Playwright, poppler-utils or the decks' JavaScript these tests are skipped
(on CI they fail instead).
"""

import re
import shutil
import subprocess

import nbformat
import pytest
import chromium
from chromium import unavailable

from tools import handouts, numbered_notebooks

# A browser or a server: `make unit` leaves these tests out (conftest.py).
pytestmark = pytest.mark.slow

browser = chromium.browser
NUMBERED = numbered_notebooks()
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")
# A formula in markdown, $...$ or $$...$$.
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", re.S)


def slide_types(path):
    return [cell.metadata.get("slideshow", {}).get("slide_type", "-") for cell in nbformat.read(path, 4).cells]


def slide_count(path):
    """The slides and sub-slides of a notebook's deck, counted from its cells' slide types."""
    return sum(kind in ("slide", "subslide") for kind in slide_types(path))


def words(markdown, count=6):
    """The first words of a heading or note as a page prints them: markdown's marks dropped, up to the
    first word that markdown, HTML or MathJax would print otherwise."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)   # a link prints its text
    found = []
    for word in re.sub(r"\*\*|`|^[#>]+ |^- ", "", text.strip()).split():
        if len(found) == count or re.search(r"[$\\\[\](){}_*<>&|]", word):
            break
        found.append(word)
    return " ".join(found)


def raw_tex(notebook, text):
    """What the PDF's text shows of the notebook's formulas as TeX: a formula as written ($...$) or one
    of its TeX commands (\\times, \\frac, ...), which MathJax would have turned into symbols."""
    shown, found = flat(text), set()
    for cell in nbformat.read(notebook, 4).cells:
        if cell.cell_type != "markdown":
            continue
        for match in MATH.finditer(cell.source):
            formula = match[1] or match[2]
            if flat(match[0]) in shown:
                found.add(match[0])
            found.update(command for command in re.findall(r"\\[a-zA-Z]{2,}", formula)
                         if re.search(re.escape(command) + r"(?![a-zA-Z])", text))
    return sorted(found)


def flat(text):
    return " ".join(text.split()).lower()


def pdf_text(pdf):
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    return int(re.search(r"Pages:\s+(\d+)", info)[1]), float(size[1]), float(size[2])


def blank_pages(pdf, folder):
    """The pages (1-based) that render as one colour: a page with nothing on it."""
    from PIL import Image

    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "12", "-png", str(pdf), str(prefix)], check=True)
    blank = []
    for image in sorted(folder.glob(f"{pdf.stem}-*.png")):
        extrema = Image.open(image).convert("L").getextrema()
        if extrema[0] == extrema[1]:
            blank.append(int(image.stem.rsplit("-", 1)[1]))
    return blank


@pytest.fixture(scope="module")
def printed(built, browser, tmp_path_factory):
    """The handouts of every numbered deck, printed once: {notebook stem: (pdf, notes pdf)}."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        unavailable(f"poppler-utils is not installed ({', '.join(missing)}): apt-get install -y poppler-utils")
    written = [pdf for pdf, _ in handouts.build(built["root"] / "slides", tmp_path_factory.mktemp("handouts"),
                                                 browser=browser)]
    return {pdf.stem: (pdf, pdf.with_name(f"{pdf.stem}-notes.pdf")) for pdf in written[::2]}


@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_a_page_per_slide_none_blank_every_heading_typeset(printed, notebook, tmp_path):
    """Both copies: as many pages as the deck has slides, 16:9 for the slides, no page one colour, every
    heading of the notebook in the PDF's text (text, not pictures), no raw TeX."""
    slides = slide_count(notebook)
    nb = nbformat.read(notebook, 4)
    headings = [words(line) for cell, kind in zip(nb.cells, slide_types(notebook))
                if cell.cell_type == "markdown" and kind != "notes"
                for line in cell.source.splitlines() if line.startswith("#")]
    for pdf in printed[notebook.stem]:
        pages, width, height = pdf_pages(pdf)
        assert pages == slides, f"{pdf.name}: {pages} pages for {slides} slides"
        if not pdf.stem.endswith("-notes"):
            assert abs(width / height - 16 / 9) < 0.01, f"{pdf.name}: pages of {width} x {height} pt, not 16:9"
        assert blank_pages(pdf, tmp_path) == [], f"{pdf.name}: blank pages"
        text = pdf_text(pdf)
        lost = [heading for heading in headings if heading and flat(heading) not in flat(text)]
        assert not lost, f"{pdf.name}: headings not in the PDF's text: {lost}"
        raw = raw_tex(notebook, text)
        assert not raw, f"{pdf.name}: raw TeX, not typeset: {raw[:5]}"


@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_the_lecturer_s_copy_has_every_note(printed, notebook):
    notes = [words(cell.source) for cell in nbformat.read(notebook, 4).cells
             if cell.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    text = flat(pdf_text(printed[notebook.stem][1]))
    lost = [note for note in notes if note and flat(note) not in text]
    assert notes and not lost, f"{notebook.name}: notes missing from the lecturer's copy: {lost}"
    students = flat(pdf_text(printed[notebook.stem][0]))
    assert not any(flat(note) in students for note in notes if len(note) > 20), \
        f"{notebook.name}: a speaker note is printed in the students' copy"
