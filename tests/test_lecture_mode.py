"""Lecture mode: the site (`make site`) and the reveal.js decks (`make slides`), checked in a real browser.

tools/lecture.py builds both into a temporary folder, a local http.server serves it on 127.0.0.1, and
Debian's chromium (headless, driven by Playwright) opens every page and every deck with every request
to another host refused, as on a lecture-hall laptop without network; the speaker notes, fragments and
animations are also checked on pages opened from disk (file://), on small notebooks the tests write
and on the course's. Without chromium, Playwright or the JavaScript that `make vendor` installs, these
tests are skipped with the reason; when CI is set (CI=true, as in .ci/run, which installs them) they
fail instead.

Run as a script, it measures the decks of a folder at 1280 x 720 (every slide as the audience sees it:
how far right its content reaches, how tall it is, which slides carry notes):
`PYTHONPATH=. .venv/bin/python tests/test_lecture_mode.py build/slides` (from the repository root).
"""

import functools
import html
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
import chromium
from chromium import MATHJAX_DONE, offline_context, unavailable

from tools import MARKER, ROOT, lecture, numbered_notebooks
from tools.browser import LOCAL_SERVER, LOCAL_URL, elsewhere

# A browser or a server: `make unit` leaves these tests out (conftest.py).
pytestmark = pytest.mark.slow

browser = chromium.browser      # the shared headless chromium (a module-scoped fixture)
from_disk = chromium.from_disk  # open a built file from disk, offline

NOTEBOOKS = lecture.notebooks()
NUMBERED = numbered_notebooks()
MATH = re.compile(r"\$[^$\n]+\$")
# What would make a page fetch from the network: a script, stylesheet, image or module from http(s).
REMOTE_ASSET = re.compile(r"<script[^>]*\ssrc=[\"']https?:|<link[^>]*\shref=[\"']https?:"
                          r"|<img[^>]*\ssrc=[\"']https?:|\bimport\b[^;\n]*[\"']https?://"
                          r"|@import\s+url\([\"']?https?:", re.IGNORECASE)
# A link to a notebook that was not rewritten to its built page.
NOTEBOOK_HREF = re.compile(r"href=[\"'](?![a-z]+:)[^\"']*\.ipynb")


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


def test_elsewhere_refuses_what_is_not_allowed():
    """The browser tests refuse the requests that this pattern matches: every address but the allowed."""
    for url in ("https://cdn.jsdelivr.net/x.js", "http://127.0.0.2:80/a", "ws://127.0.0.1:8/b", "FILE:///x"):
        assert elsewhere(LOCAL_URL + LOCAL_SERVER).match(url), url
    for url in ("file:///deck/reveal.js", "data:image/png;base64,AA", "blob:null/1", "about:blank",
                "http://127.0.0.1:8888/rise/x.ipynb"):
        assert not elsewhere(LOCAL_URL + LOCAL_SERVER).match(url), url


# --- small notebooks written by the tests ---------------------------------------------------------------

NOTE_ONE, NOTE_TWO = "Say: the kernel slides over the image NOTE-ONE", "Ask: what size is the output NOTE-TWO"
ALT_FIGURE = "A small gray square with one bright pixel in its top-left corner."
ALT_ANIMATION = "A bright pixel that moves along the diagonal of a 3 x 3 grid, one step a frame."


# What a deck must wrap or shrink to keep on a 1280 x 720 slide: a 200-character line, a 40-column table.
LONG_LINE = "print(" + " + ".join(f"value_{i:02}" for i in range(19)) + ")  # " + "z" * 40
WIDE_TABLE = {"text/html": "<table><tr>" + "".join(f"<th>column {i}</th>" for i in range(40)) + "</tr><tr>"
              + "".join(f"<td>{i * 1000}</td>" for i in range(40)) + "</tr></table>", "text/plain": "a table"}


def md(text, kind="-"):
    from nbformat.v4 import new_markdown_cell
    return new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})


def three_frame_animation():
    """matplotlib's HTML player of a 3-frame FuncAnimation (what `HTML(anim.to_jshtml())` shows)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    image = ax.imshow(np.zeros((3, 3)), vmin=0, vmax=1, cmap="gray")

    def draw(i):
        image.set_data(np.eye(3)[i][:, None] * np.eye(3)[i][None, :])
        return [image]

    html = FuncAnimation(fig, draw, frames=3, interval=100).to_jshtml()
    plt.close(fig)
    return html


def synthetic_notebook(folder, name="01_demo.ipynb"):
    """A small deck: a title, a question whose answer is a fragment, two notes on one slide, a figure
    and an animation, each described in its cell's metadata."""
    import base64
    import io

    import matplotlib.pyplot as plt
    import nbformat
    import numpy as np
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    png = io.BytesIO()
    plt.imsave(png, np.eye(3)[:1].T @ np.eye(3)[:1], cmap="gray", format="png")
    figure = new_output("display_data", data={"image/png": base64.b64encode(png.getvalue()).decode(),
                                              "text/plain": "<Figure size 100x100 with 1 Axes>"})
    animation = new_output("display_data", data={"text/html": three_frame_animation(),
                                                 "text/plain": "<IPython.core.display.HTML object>"})
    cells = [
        md("# A demo deck", "slide"),
        md("## Question: what is the output size of a 6 x 6 image and a 3 x 3 filter?", "slide"),
        md("**Answer:** 4 x 4, because the filter fits 6 - 3 + 1 = 4 times.", "fragment"),
        md(f"**{NOTE_ONE}**", "notes"),
        md(f"**{NOTE_TWO}**", "notes"),
        new_code_cell("plt.imshow(x)", outputs=[figure], execution_count=1,
                      metadata={"alt": ALT_FIGURE, "slideshow": {"slide_type": "slide"}}),
        new_code_cell("HTML(anim.to_jshtml())", outputs=[animation], execution_count=2,
                      metadata={"alt": ALT_ANIMATION, "slideshow": {"slide_type": "slide"},
                                "tags": ["nbval-ignore-output"]}),
        new_code_cell(LONG_LINE, outputs=[new_output("stream", name="stdout", text=LONG_LINE),
                                          new_output("execute_result", execution_count=3, data=WIDE_TABLE)],
                      execution_count=3, metadata={"slideshow": {"slide_type": "slide"}}),
        md("## A sub-slide too tall for the screen", "subslide"),
        new_code_cell("print(*range(40), sep='\\n')", execution_count=4,
                      outputs=[new_output("stream", name="stdout", text="".join(f"{i}\n" for i in range(40)))],
                      metadata={"slideshow": {"slide_type": "-"}}),
        md("The end.", "slide"),
    ]
    path = Path(folder) / name
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                      "language": "python"}}), path)
    return path


def test_notes_of_one_slide_become_one_note_in_the_deck(tmp_path):
    path = synthetic_notebook(tmp_path)
    deck = lecture.prepared(path, ".slides.html", deck=True)
    notes = [c.source for c in deck.cells if lecture.slide_type(c) == "notes"]
    assert len(notes) == 1 and NOTE_ONE in notes[0] and NOTE_TWO in notes[0]
    assert [lecture.slide_type(c) for c in lecture.prepared(path, ".html").cells].count("notes") == 2


def test_templates_write_each_figure_s_description_and_keep_the_animation(tmp_path):
    """The alternative text comes from the templates (cell metadata "alt"), not from rewriting the HTML;
    the animation's scripts stay, its remote stylesheet goes."""
    assert not hasattr(lecture, "describe_figures")
    path = synthetic_notebook(tmp_path)
    for kind, suffix in (("site", ".html"), ("slides", ".slides.html")):
        html, _ = lecture.exporter(kind).from_notebook_node(lecture.prepared(path, suffix, deck=kind == "slides"))
        assert f'alt="{ALT_FIGURE}"' in html, kind
        assert re.search(rf'<img alt="{ALT_ANIMATION}" id="_anim_img\w+"', html), kind
        assert "new Animation(frames" in html and "anim-buttons" in html, f"{kind}: the animation's player was dropped"
        assert not REMOTE_ASSET.search(html), f"{kind}: {REMOTE_ASSET.search(html)[0]}"
        assert lecture.NO_ALT not in html, kind
    # A figure whose cell has no description gets nbconvert's stand-in, which the tests below catch.
    import nbformat
    nb = nbformat.read(path, as_version=4)
    del nb.cells[5].metadata["alt"]
    nbformat.write(nb, path)
    html, _ = lecture.exporter("site").from_notebook_node(lecture.prepared(path, ".html"))
    assert html.count(lecture.NO_ALT) == 1


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_decks_skip_the_setup_cell_and_have_slides_to_move_through(path):
    cells = load(path)["cells"]
    setup = [c for c in cells if c["cell_type"] == "code" and "google.colab" in source(c)]
    assert setup and all(slide_type(c) == "skip" for c in setup), "the setup cell is plumbing: slide_type 'skip'"
    assert sum(slide_type(c) == "slide" for c in cells) >= 2, "a deck needs at least two slides"


# --- the built files ----------------------------------------------------------------------------------

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


def visible_text(page):
    """A built page's text, markup dropped (hidden slides and folded blocks included)."""
    return html.unescape(re.sub(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", "", page.read_text(),
                                flags=re.S))


def test_no_grading_or_test_marker_on_a_slide_or_page(built):
    """The class sees the lecture, never the plumbing: no nbgrader or nbval marker in any deck or page."""
    found = [f"{page.name}: {match[0]!r}" for page in built["site"] + built["slides"]
             for match in MARKER.finditer(visible_text(page))]
    assert not found, "markers on the slides or pages:\n" + "\n".join(found)


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


@pytest.fixture
def visit(browser, server):
    """Open a URL path; return the page and the list of problems seen (errors, failures, remote requests)."""
    contexts = []

    def open_page(path):
        context, problems = offline_context(browser, contexts, LOCAL_SERVER,
                                            timeout=10_000)
        page = context.new_page()
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_function(MATHJAX_DONE)
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
    name = f"{notebook.name} ({'deck' if deck else 'page'})"
    assert problems == [], f"{name}:\n" + "\n".join(problems)
    assert page.evaluate(BROKEN_IMAGES) == [], f"{name}: images that did not load"
    shown, drawn = page.evaluate("document.images.length"), image_outputs(notebook, deck)
    assert shown >= drawn, f"{name}: {shown} images for {drawn} figures in the notebook: a figure is missing"
    assert page.evaluate(UNDESCRIBED_IMAGES) == 0, f"{name}: figures without alternative text (cell metadata 'alt')"
    if has_math(notebook):
        typeset = page.evaluate("document.querySelectorAll('.MathJax_CHTML').length")
        assert typeset > 0, f"{name}: MathJax typeset nothing"
        assert page.evaluate("document.querySelectorAll('.mjx-merror').length") == 0, f"{name}: a TeX error"


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
    notes = sum(slide_type(c) == "notes" for c in load(notebook)["cells"])
    assert page.evaluate("Array.from(document.querySelectorAll('details.speaker-notes')).filter(d => !d.open)"
                         ".length") == notes, f"{notebook.name}: {notes} notes cells, each folded as 'Speaker notes'"
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


# Every slide and sub-slide of a deck, shown one after the other at 1280 x 720 as the audience sees it
# (reached by its address, all its fragments shown): [slide number as the deck shows it, how far right
# its content reaches (px), what reaches farthest, what has to be scrolled sideways and by how much (px),
# the slide's first words, whether it has notes, how tall its content is (px, in the slide's 720)].
# An element's reach counts what overflows it (its scrollWidth), so that a line cut off by an element
# that hides or scrolls its overflow is found too; MathJax's inner boxes (clipped on purpose) are not.
# The height is the slide's own content laid out without the scroll bar the template gives a tall slide,
# measured once MathJax has drawn the slide's formulas again (the template re-renders them on every
# slide change; while it does, a formula takes no room).
SLIDES = """async () => {
    const Reveal = window.Reveal ||   // decks built before the template exposed it: ask require.js
        require(Object.keys(require.s.contexts._.defined).find(name => name.endsWith('dist/reveal.js')));
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});
    const words = el => (el.innerText || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 60);
    const typeset = () => new Promise(done => window.MathJax ? MathJax.Hub.Queue(done) : done());
    const rows = [];
    for (const [h, stack] of Reveal.getHorizontalSlides().entries()) {
        const count = stack.querySelectorAll(':scope > section').length || 1;
        for (let v = 0; v < count; v++) {
            Reveal.slide(h, v, 999);
            await typeset();
            const slide = Reveal.getCurrentSlide();
            let reach = 0, widest = '', scroll = 0, scrolled = '';
            for (const el of slide.querySelectorAll('*')) {
                if (el.parentElement.closest('aside.notes, .MathJax_CHTML, .MathJax_Preview, .MathJax')) continue;
                const r = el.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                const k = el.offsetWidth ? r.width / el.offsetWidth : 1;
                const right = Math.max(r.right, r.left + el.scrollWidth * k);
                if (right > reach) { reach = right; widest = words(el); }
                const over = el.clientWidth > 0 ? (el.scrollWidth - el.clientWidth) * k : 0;
                if (over > 1 && /auto|scroll|hidden/.test(getComputedStyle(el).overflowX) && over > scroll) {
                    scroll = over; scrolled = words(el);
                }
            }
            // Scrolling as shown (a scroll bar hides the slide's last lines), then its content's height.
            const scrolls = /auto|scroll/.test(getComputedStyle(slide).overflowY)
                && slide.scrollHeight > slide.clientHeight + 1;
            const style = slide.getAttribute('style');
            slide.style.height = 'auto'; slide.style.overflow = 'visible'; slide.style.overflowY = 'visible';
            const height = slide.scrollHeight;
            if (style === null) slide.removeAttribute('style'); else slide.setAttribute('style', style);
            rows.push([`${Reveal.getSlidePastCount() + 1}/${Reveal.getTotalSlides()}`, Math.round(reach), widest,
                       Math.round(scroll), scrolled, words(slide), !!slide.querySelector('aside.notes'), height,
                       scrolls]);
        }
    }
    Reveal.slide(0, 0, -1);
    return rows;
}"""


def slide_sizes(page):
    page.wait_for_selector(".reveal.ready")
    return page.evaluate(SLIDES)


def oversized(rows, width, height):
    """The slides of `rows` (slide_sizes) that reach past the right edge, scroll sideways or are taller
    than the screen, each described in one line."""
    found = []
    for number, reach, widest, scroll, scrolled, first, _, tall, scrolls in rows:
        where = f"slide {number} ({first!r})"
        if reach > width or scroll:
            found.append(f"{where}: reaches {reach} px of {width} px with {widest!r}"
                         + (f"; {scroll} px to scroll sideways in {scrolled!r}" if scroll else ""))
        if tall > height + 1 or scrolls:
            found.append(f"{where}: {tall} px tall, the screen {height} px"
                         + ("; it scrolls, its last lines hidden" if scrolls else ""))
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_fits_the_screen(visit, notebook):
    """At 1280 x 720, every slide reached by its address with all its fragments shown: nothing is cut off
    at the right edge or needs scrolling sideways (code and text outputs wrap, figures shrink to the
    slide: the templates; lines of at most 80 characters read best, tests/test_notebooks.py), and
    nothing is taller than the screen (a cell whose code and figure do not both fit becomes two: the
    code, then its figure on a sub-slide)."""
    page, problems = visit(f"slides/{notebook.stem}.slides.html")
    size = lecture.SLIDE_SIZE
    over = oversized(slide_sizes(page), int(size[0]), int(size[1]))
    assert not over, f"{notebook.name}: slides larger than the screen:\n" + "\n".join(over)
    assert problems == [], "\n".join(problems)


# --- opened from disk, offline (from_disk): speaker notes, fragments, animations ----------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The synthetic notebook's deck and page, built into a temporary folder."""
    if lecture.vendor(check_only=True):
        unavailable("the decks' JavaScript is not installed: run `make vendor`")
    root = tmp_path_factory.mktemp("demo")
    path = synthetic_notebook(root)
    return {"notebook": path, "slides": lecture.build("slides", root / "slides", [path])[0],
            "site": lecture.build("site", root / "site", [path])[0]}


GO_TO = "el => { const i = Reveal.getIndices(el.closest('section')); Reveal.slide(i.h, i.v, -1); return i; }"
# The notes the speaker view shows ('' when it hides its notes box, on a slide without notes).
NOTES_SHOWN = ("(() => { const box = document.querySelector('.speaker-controls-notes');"
               " return box && !box.classList.contains('hidden') ? box.querySelector('.value').innerText : ''; })()")


def speaker_view_notes(page, element):
    """Go to the slide of `element`, press S, and return the speaker view with its notes' text."""
    page.evaluate(GO_TO, element)
    page.wait_for_timeout(300)
    with page.context.expect_page() as opened:
        page.keyboard.press("s")
    speaker = opened.value
    speaker.wait_for_load_state("load")
    speaker.wait_for_function(f"({NOTES_SHOWN}).trim().length > 0")
    return speaker, speaker.evaluate(NOTES_SHOWN)


def test_a_request_to_the_network_is_refused_and_reported(from_disk, tmp_path):
    """What a page opened from disk asks of the network is refused and named; its own files load."""
    (tmp_path / "pixel.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    page_file = tmp_path / "page.html"
    page_file.write_text('<html><body><img id="own" src="pixel.svg"><img src="https://example.org/a.png">'
                         '<script src="http://127.0.0.2:9/b.js"></script></body></html>')
    page, problems = from_disk(page_file)
    assert page.evaluate("document.getElementById('own').naturalWidth") == 4
    refused = [p for p in problems if p.startswith("request to the network")]
    assert len(refused) == 2 and any("example.org/a.png" in p for p in refused) \
        and any("127.0.0.2:9/b.js" in p for p in refused), problems


def test_speaker_view_shows_the_notes_of_a_slide_opened_from_disk(from_disk, demo):
    page, problems = from_disk(demo["slides"])
    note = page.query_selector("aside.notes")
    assert note is not None, "the notes cells did not become reveal.js notes"
    assert not note.is_visible() and NOTE_ONE not in page.inner_text(".reveal"), "a note is shown on the slide"
    assert page.evaluate("Array.from(document.querySelectorAll('script[src]')).map(s => s.src)"
                         ".concat(Object.keys(require.s.contexts._.defined))"
                         ".filter(u => u.includes('plugin/notes/notes.js')).length") > 0, \
        "the notes plugin is not loaded from the deck's own copy"
    speaker, text = speaker_view_notes(page, note)
    assert NOTE_ONE in text and NOTE_TWO in text, f"the speaker view shows {text!r}"
    # The speaker view follows the deck: on the next slide, which has no notes, it shows none.
    page.keyboard.press("ArrowRight")   # the fragment
    page.keyboard.press("ArrowRight")   # the figure's slide
    speaker.wait_for_function(f"!({NOTES_SHOWN}).includes('NOTE-ONE')")
    assert problems == [], "\n".join(problems)


def plain_words(text, count=5):
    """The first words of a note as they read on the page and in the speaker view: markdown's emphasis
    and code marks dropped, up to the first word that markdown or MathJax would render otherwise."""
    words = []
    for word in re.sub(r"\*\*|`|^[#>]+ ", "", text.strip()).split():
        if len(words) == count or re.search(r"[$\\\[\]()_*<>&]", word):
            break
        words.append(word)
    return words


@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_deck_notes_are_in_the_speaker_view_and_not_on_the_slides(from_disk, built, notebook):
    """Every notes cell is in the deck, hidden on its slide; on each slide with notes, the speaker view
    (key S, the deck opened from disk) shows them."""
    notes = [source(c) for c in load(notebook)["cells"] if slide_type(c) == "notes"]
    if not notes:
        pytest.fail(f"{notebook.name} has no speaker notes yet (cells of slide type 'notes')")
    page, problems = from_disk(built["root"] / "slides" / f"{notebook.stem}.slides.html")
    asides = page.query_selector_all("aside.notes")
    in_deck = " ".join(" ".join(a.text_content().split()) for a in asides)
    lost = [note[:60] for note in notes if " ".join(plain_words(note)) not in in_deck]
    assert not lost, f"{notebook.name}: notes cells missing from the deck: {lost}"
    shown = [a.inner_text()[:60] for a in asides if a.is_visible()]
    assert not shown, f"{notebook.name}: notes shown on a slide: {shown}"
    speaker, _ = speaker_view_notes(page, asides[0])
    for aside in asides:
        page.evaluate(GO_TO, aside)
        number = page.evaluate("`${Reveal.getSlidePastCount() + 1}/${Reveal.getTotalSlides()}`")
        words = " ".join(plain_words(aside.text_content()))
        try:
            speaker.wait_for_function(f"({NOTES_SHOWN}).split(/\\s+/).join(' ').includes({json.dumps(words)})",
                                      timeout=5000)
        except Exception as error:
            raise AssertionError(f"{notebook.name}, slide {number}: the speaker view does not show {words!r}, "
                                 f"but {speaker.evaluate(NOTES_SHOWN)[:120]!r}") from error
    assert problems == [], "\n".join(problems)


# A fragment's slide, its place among the slide's fragments, and whether it shows.
FRAGMENT = """el => {
    const i = Reveal.getIndices(el.closest('section'));
    return [i.h, i.v, parseInt(el.dataset.fragmentIndex || '0'), el.classList.contains('visible'),
            getComputedStyle(el).opacity];
}"""


def check_fragment_appears_on_the_next_key(page, fragment, name):
    """On the fragment's slide, with the fragments before it shown, it is hidden; the next key shows it."""
    h, v, index, _, _ = page.evaluate(FRAGMENT, fragment)
    page.evaluate(f"Reveal.slide({h}, {v}, {index - 1})")
    number = page.evaluate("`${Reveal.getSlidePastCount() + 1}/${Reveal.getTotalSlides()}`")
    where = f"{name}, slide {number}, fragment {' '.join(fragment.text_content().split())[:50]!r}"
    page.wait_for_timeout(300)
    _, _, _, visible, opacity = page.evaluate(FRAGMENT, fragment)
    assert not visible and float(opacity) == 0, f"{where}: the answer shows before the key press"
    page.keyboard.press("ArrowRight")
    try:
        page.wait_for_function("el => el.classList.contains('visible') && getComputedStyle(el).opacity === '1'",
                               arg=fragment, timeout=5000)
    except Exception as error:
        raise AssertionError(f"{where}: the next key press did not show it") from error
    indices = page.evaluate("() => [Reveal.getIndices().h, Reveal.getIndices().v]")
    assert indices == [h, v], f"{where}: the key press left the slide instead of showing the answer"


def test_long_lines_and_wide_outputs_stay_on_the_slide(from_disk, demo):
    """The templates' part: a long code line and text output wrap, a wide table is scaled to fit."""
    page, problems = from_disk(demo["slides"])
    rows = slide_sizes(page)
    assert [row[5] for row in rows if LONG_LINE[:20] in row[5]], "the long line's slide is missing"
    wide = [row for row in rows if row[1] > page.evaluate("innerWidth") or row[3]]
    assert not wide, f"slides wider than the screen: {wide}"
    page.evaluate(GO_TO, page.query_selector("table"))
    lines = page.evaluate("Array.from(Reveal.getCurrentSlide().querySelectorAll('pre')).map(p =>"
                          " Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)))")
    assert lines and min(lines) >= 2, f"the long line did not wrap: {lines} lines"
    assert problems == [], "\n".join(problems)


def test_the_size_check_sees_a_sub_slide_taller_than_the_screen(from_disk, demo):
    """The sub-slide of 40 printed lines (a vertical slide, hidden until reached) is measured as shown."""
    page, problems = from_disk(demo["slides"])
    over = oversized(slide_sizes(page), 1280, 720)
    assert len(over) == 1 and "a sub-slide too tall" in over[0].lower() and "px tall" in over[0], over
    assert problems == [], "\n".join(problems)


def test_a_fragment_appears_on_the_next_key_press(from_disk, demo):
    page, problems = from_disk(demo["slides"])
    fragment = page.query_selector(".fragment")
    assert fragment is not None and "4 x 4" in fragment.text_content()
    check_fragment_appears_on_the_next_key(page, fragment, demo["slides"].name)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_the_decks_reveal_answers_step_by_step(from_disk, built, notebook):
    """Every fragment cell (a question's answer) is a reveal.js fragment that the next key press shows."""
    count = sum(slide_type(c) == "fragment" for c in load(notebook)["cells"])
    if not count:
        pytest.fail(f"{notebook.name} has no fragment cell (a question's answer, shown on the next key press)")
    page, problems = from_disk(built["root"] / "slides" / f"{notebook.stem}.slides.html")
    fragments = page.query_selector_all(".fragment")
    assert fragments, f"{notebook.name}: {count} fragment cells, but no fragment in the deck"
    for fragment in fragments:
        check_fragment_appears_on_the_next_key(page, fragment, notebook.name)
    assert problems == [], f"{notebook.name}:\n" + "\n".join(problems)


FRAME = "() => document.querySelector('.animation img').src"


def check_animation_advances(page, name):
    """Click the player's "Next frame" and "Play" buttons: the frame shown (the <img>'s src) changes."""
    player = page.query_selector(".animation")
    assert player is not None, f"{name}: no animation player on the page"
    if page.evaluate("!!window.Reveal"):
        page.evaluate(GO_TO, player)
        page.wait_for_timeout(300)
    page.wait_for_function(f"({FRAME})().startsWith('data:image')")
    image = page.query_selector(".animation img")
    assert image.is_visible() and page.evaluate("el => el.naturalWidth > 0", image), f"{name}: the frame did not load"
    assert len(page.evaluate("el => el.alt", image).split()) >= 5, f"{name}: the animation has no description"
    first = page.evaluate(FRAME)
    page.click(".animation button[title='Next frame']")
    page.wait_for_function(f"({FRAME})() !== {json.dumps(first)}")
    second = page.evaluate(FRAME)
    page.click(".animation button[title='Play']")
    page.wait_for_function(f"!new Set([{json.dumps(first)}, {json.dumps(second)}]).has(({FRAME})())")
    page.click(".animation button[title='Pause']")


@pytest.mark.parametrize("kind", ["slides", "site"])
def test_an_animation_plays_without_a_kernel_from_disk(from_disk, demo, kind):
    page, problems = from_disk(demo[kind])
    check_animation_advances(page, demo[kind].name)
    assert problems == [], "\n".join(problems)


# PLAN: 02's sliding window and a kernel demo of 03 also exist as matplotlib animations (to_jshtml).
ANIMATED = [nb for nb in NUMBERED if nb.name[:2] in ("02", "03")]


@pytest.mark.parametrize("kind", ["slides", "site"])
@pytest.mark.parametrize("notebook", ANIMATED, ids=lambda p: p.stem)
def test_the_course_s_animations_play_without_a_kernel(from_disk, built, notebook, kind):
    animated = [c for c in load(notebook)["cells"] for out in c.get("outputs", [])
                if "_anim_img" in "".join(out.get("data", {}).get("text/html", ""))]
    if not animated:
        pytest.fail(f"{notebook.name} has no matplotlib animation (an `HTML(anim.to_jshtml())` output) yet")
    if kind == "slides":
        assert any(slide_type(c) != "skip" for c in animated), f"{notebook.name}: the animation's cell is skipped"
    suffix = ".slides.html" if kind == "slides" else ".html"
    page, problems = from_disk(built["root"] / kind / f"{notebook.stem}{suffix}")
    check_animation_advances(page, f"{notebook.stem}{suffix}")
    assert problems == [], "\n".join(problems)


def test_site_folds_speaker_notes_away(from_disk, demo):
    page, problems = from_disk(demo["site"])
    folded = page.query_selector_all("details.speaker-notes")
    assert len(folded) == 2, "each notes cell becomes one folded 'Speaker notes' block"
    for block in folded:
        assert page.evaluate("el => el.open", block) is False
        assert block.query_selector("summary").inner_text().strip() == "Speaker notes"
    assert NOTE_ONE not in page.inner_text("body"), "a note reads as content of the page"
    folded[0].query_selector("summary").click()
    assert NOTE_ONE in folded[0].inner_text(), "the folded notes open on a click"
    assert problems == [], "\n".join(problems)


def measure(folder):
    """Print, for every deck in `folder`, its slides, the ones with notes, the widest one and the slides
    larger than the screen (oversized) at 1280 x 720."""
    from tools.browser import launched

    width, height = (int(side) for side in lecture.SLIDE_SIZE)
    total = noted = over = 0
    widest = (0, "")
    with launched() as chromium:
        for deck in numbered_notebooks(folder, ".slides.html"):
            context = chromium.new_context(viewport={"width": width, "height": height})
            context.route(elsewhere(LOCAL_URL), lambda route: route.abort())
            page = context.new_page()
            page.goto(deck.resolve().as_uri(), wait_until="load")
            page.wait_for_function(MATHJAX_DONE)
            rows = slide_sizes(page)
            context.close()
            top = max(rows, key=lambda row: row[1])
            found = oversized(rows, width, height)
            print(f"{deck.name:42} {len(rows):3} slides, {sum(r[6] for r in rows):3} with notes, widest: "
                  f"slide {top[0]} reaches {top[1]} px ({top[2][:40]!r}), {len(found)} problems")
            for line in found:
                print(f"    {line}")
            total, noted, over = total + len(rows), noted + sum(r[6] for r in rows), over + len(found)
            widest = max(widest, (top[1], f"{deck.name} slide {top[0]}"))
    print(f"all decks: {total} slides, {noted} with notes; widest {widest[0]} px of {width} ({widest[1]}); "
          f"{over} slides larger than the screen")


if __name__ == "__main__":
    import sys
    measure(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "slides")
