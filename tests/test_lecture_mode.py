"""Lecture mode: the site (`make site`) and the reveal.js decks (`make slides`), checked in a real browser.

tools/lecture.py builds both into a temporary folder, a local http.server serves it on 127.0.0.1, and
Debian's chromium (headless, driven by Playwright) opens every page and every deck with every request
to another host refused, as on a lecture-hall laptop without network. Without chromium, Playwright or
the JavaScript that `make vendor` installs, these tests are skipped with the reason; when CI is set
(CI=true, as in .ci/run, which installs them) they fail instead.
"""

import functools
import importlib.util
import json
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lecture", ROOT / "tools" / "lecture.py")
lecture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lecture)

NOTEBOOKS = lecture.notebooks()
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
MATH = re.compile(r"\$[^$\n]+\$")
# What would make a page fetch from the network: a script, stylesheet, image or module from http(s).
REMOTE_ASSET = re.compile(r"<script[^>]*\ssrc=[\"']https?:|<link[^>]*\shref=[\"']https?:"
                          r"|<img[^>]*\ssrc=[\"']https?:|\bimport\b[^;\n]*[\"']https?://"
                          r"|@import\s+url\([\"']?https?:", re.I)
# A link to a notebook that was not rewritten to its built page.
NOTEBOOK_HREF = re.compile(r"href=[\"'](?![a-z]+:)[^\"']*\.ipynb")


def unavailable(reason):
    if ON_CI:
        pytest.fail(f"{reason} (CI is set: .ci/run installs what these tests need)")
    pytest.skip(reason)


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def slide_type(cell):
    return cell["metadata"].get("slideshow", {}).get("slide_type")


def image_outputs(path, deck):
    """How many PNG/JPEG outputs the page shows (a deck leaves out the cells marked 'skip')."""
    return sum(1 for cell in load(path)["cells"] if not (deck and slide_type(cell) == "skip")
               for out in cell.get("outputs", []) if {"image/png", "image/jpeg"} & set(out.get("data", {})))


def has_math(path):
    return any(cell["cell_type"] == "markdown" and MATH.search(source(cell)) for cell in load(path)["cells"])


# --- without a browser --------------------------------------------------------------------------------

def test_offline_markdown_rewrites_links_and_remote_images():
    badge = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.x/nb.ipynb)"
    assert lecture.offline_markdown(badge, ".html") == "[Open In Colab](https://colab.x/nb.ipynb)"
    assert lecture.offline_markdown("![a plot](http://x.org/p.png)", ".html") == "[a plot](http://x.org/p.png)"
    assert lecture.offline_markdown('<img src="https://x.org/p.png" alt="p">', ".html") == \
        '<a href="https://x.org/p.png">p</a>'
    nav = "[< Prev](01_a.ipynb) | [Contents](index.ipynb) | [Next](02_b.ipynb#Part-2)"
    assert lecture.offline_markdown(nav, ".slides.html") == \
        "[< Prev](01_a.slides.html) | [Contents](index.slides.html) | [Next](02_b.slides.html#Part-2)"
    kept = "[local](figures/x.png) and [remote](https://github.com/a/b.ipynb)"
    assert lecture.offline_markdown(kept, ".html") == kept


def test_widgets_are_dropped_and_figures_and_local_images_kept(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "grid.png").write_bytes(b"png")
    widget = new_output("display_data", data={"text/plain": "interactive(...)",
                                              "application/vnd.jupyter.widget-view+json": {"model_id": "m"}})
    figure = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    nb = new_notebook(cells=[new_markdown_cell("# A title\n\n![grid](figures/grid.png) ![x](https://x.org/y.png)"),
                             new_code_cell("interact(f)", outputs=[widget, figure])],
                      metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    path = tmp_path / "05_w.ipynb"
    nbformat.write(nb, path)
    prepared = lecture.prepared(path, ".html")
    assert "widgets" not in prepared.metadata and prepared.metadata["title"] == "A title"
    assert prepared.cells[1].outputs == [figure]
    html, _ = lecture.exporter("site").from_notebook_node(prepared)
    assert not re.search(r"widget-(state|view)|embed-amd|interactive\(", html) and not REMOTE_ASSET.search(html)
    assert lecture.local_images(path) == ["figures/grid.png"]


def test_build_rejects_an_unknown_kind(tmp_path):
    with pytest.raises(ValueError, match="'slides' or 'site'"):
        lecture.build("pdf", tmp_path)


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_decks_skip_the_setup_cell_and_have_slides_to_move_through(path):
    cells = load(path)["cells"]
    setup = [c for c in cells if c["cell_type"] == "code" and "google.colab" in source(c)]
    assert setup and all(slide_type(c) == "skip" for c in setup), "the setup cell is plumbing: slide_type 'skip'"
    assert sum(slide_type(c) == "slide" for c in cells) >= 2, "a deck needs at least two slides"


# --- the built files ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """tools/lecture.py's site and decks, in a temporary folder: {"site": [...], "slides": [...]}."""
    missing = lecture.vendor(check_only=True)
    if missing:
        unavailable(f"the decks' JavaScript is not installed ({', '.join(missing)}): run `make vendor`")
    root = tmp_path_factory.mktemp("lecture")
    return {"root": root, **{kind: lecture.build(kind, root / kind) for kind in ("site", "slides")}}


def test_one_page_and_one_deck_per_notebook(built):
    assert [p.name for p in built["site"]] == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    assert [p.name for p in built["slides"]] == [f"{nb.stem}.slides.html" for nb in NOTEBOOKS]


def test_no_script_stylesheet_or_image_from_the_network(built):
    for page in built["site"] + built["slides"]:
        html = page.read_text()
        assert not REMOTE_ASSET.search(html), f"{page.name}: {REMOTE_ASSET.search(html)[0]}"
        assert not NOTEBOOK_HREF.search(html), f"{page.name}: {NOTEBOOK_HREF.search(html)[0]} (not rewritten)"
    for css in built["root"].rglob("*.css"):
        assert not REMOTE_ASSET.search(css.read_text()), f"{css}: {REMOTE_ASSET.search(css.read_text())[0]}"


def test_every_figure_has_its_description(built):
    for page in built["site"] + built["slides"]:
        assert lecture.NO_ALT not in page.read_text(), f"{page.name}: a figure without alternative text"


# --- in the browser -----------------------------------------------------------------------------------

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=built["root"]))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable(f"no chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (it is in requirements.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser, server):
    """Open a URL path; return the page and the list of problems seen (errors, failures, remote requests)."""
    contexts = []

    def open_page(path):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.set_default_timeout(10_000)
        contexts.append(context)
        problems = []

        def only_local(route):
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                problems.append(f"request to another host: {route.request.url[:100]}")
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} {m.location}"))
        page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url[:100]} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url[:100]}"))
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_function("!window.MathJax || (MathJax.isReady && MathJax.Hub.queue.pending === 0"
                               " && !MathJax.Hub.queue.running)")
        return page, problems

    yield open_page
    for context in contexts:
        context.close()


BROKEN_IMAGES = ("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                 ".map(i => i.src.slice(0, 80))")
# nbconvert gives an image without a description this stand-in as its alternative text.
UNDESCRIBED_IMAGES = "Array.from(document.images).filter(i => !i.alt || i.alt.startsWith('No description')).length"
# The index of the horizontal slide shown.
CURRENT = ("Array.from(document.querySelectorAll('.slides > section'))"
           ".indexOf(document.querySelector('.slides > section.present'))")


def check_page_content(page, problems, notebook, deck):
    assert problems == [], "\n".join(problems)
    assert page.evaluate(BROKEN_IMAGES) == [], "images that did not load"
    assert page.evaluate("document.images.length") >= image_outputs(notebook, deck), "a figure is missing"
    assert page.evaluate(UNDESCRIBED_IMAGES) == 0, "figures without alternative text (cell metadata 'alt')"
    if has_math(notebook):
        assert page.evaluate("document.querySelectorAll('.MathJax_CHTML').length") > 0, "MathJax typeset nothing"
        assert page.evaluate("document.querySelectorAll('.mjx-merror').length") == 0, "a TeX error"


def test_index_links_to_every_notebook_page(visit, server):
    page, problems = visit("site/index.html")
    hrefs = set(page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"))
    missing = {f"{server}/site/{nb.stem}.html" for nb in NUMBERED} - hrefs
    assert not missing, f"the index does not link to {sorted(missing)}"
    page.click(f'a[href="{NUMBERED[0].stem}.html"]')
    page.wait_for_load_state("load")
    assert page.url == f"{server}/site/{NUMBERED[0].stem}.html"
    assert page.title() == lecture.prepared(NUMBERED[0], ".html").metadata["title"]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_loads_offline_with_working_links(visit, server, built, notebook):
    page, problems = visit(f"site/{notebook.stem}.html")
    check_page_content(page, problems, notebook, deck=False)
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    local = {urlparse(h).path for h in links if h.startswith(server)}
    for target in local:
        assert (built["root"] / target.lstrip("/")).is_file(), f"a link to {target}, which was not built"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_loads_offline_and_right_arrow_shows_the_next_slide(visit, notebook):
    page, problems = visit(f"slides/{notebook.stem}.slides.html")
    try:
        page.wait_for_selector(".reveal.ready")
    except Exception as error:
        raise AssertionError("reveal.js did not start:\n" + "\n".join(problems)) from error
    check_page_content(page, problems, notebook, deck=True)
    total = page.evaluate("document.querySelectorAll('.slides > section').length")
    assert page.evaluate(CURRENT) == 0
    assert total > 1 or notebook not in NUMBERED, "a lecture deck has more than one slide"
    if total > 1:
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"{CURRENT} === 1")
    # Visible: the current slide's first element is on screen, and nothing else is drawn over it.
    page.wait_for_function("""() => {
        const slide = Array.from(document.querySelectorAll('.slides section.present')).pop();
        const first = slide && slide.querySelector('h1, h2, h3, p, li, pre, img');
        if (!first || !slide.innerText.trim()) return false;
        const r = first.getBoundingClientRect();
        if (r.width <= 0 || r.height <= 0 || r.top < 0 || r.left < 0 || r.right > innerWidth) return false;
        const hit = document.elementFromPoint(r.left + Math.min(r.width, 20) / 2, r.top + r.height / 2);
        return slide.contains(hit) && getComputedStyle(slide).visibility === 'visible';
    }""", timeout=5000)
    assert problems == [], "\n".join(problems)


# Every slide and sub-slide of every deck laid out at once: [cells on it, its height, its deck's height,
# its first words]. A slide taller than the screen scrolls while the class waits for the point.
SLIDE_HEIGHTS = """() => {
    const height = parseFloat(getComputedStyle(document.querySelector('.reveal .slides')).height);
    const leaves = Array.from(document.querySelectorAll('.slides section')).filter(s => !s.querySelector('section'));
    leaves.forEach(s => { s.style.display = 'block'; s.style.height = 'auto'; s.style.overflow = 'visible'; });
    return leaves.map(s => [s.querySelectorAll('.jp-Cell').length, s.scrollHeight, height,
                            s.innerText.trim().slice(0, 60).replace(/\\s+/g, ' ')]);
}"""


@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_every_slide_fits_the_screen(visit, notebook):
    """Split with a sub-slide where a slide grows taller than the deck; only a single cell may (it scrolls)."""
    page, problems = visit(f"slides/{notebook.stem}.slides.html")
    page.wait_for_selector(".reveal.ready")
    tall = [f"{words!r}: {cells} cells, {px:.0f} px" for cells, px, height, words in page.evaluate(SLIDE_HEIGHTS)
            if cells > 1 and px > 1.1 * height]
    assert not tall, "slides taller than the screen (set a cell's Slide Type to Sub-Slide):\n" + "\n".join(tall)
