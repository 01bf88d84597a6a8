"""Live slides: the notebooks as RISE slideshows (jupyterlab-rise) and their widgets, in a real browser.

A JupyterLab server (the course's .venv, its kernel) starts on a free local port with its own temporary
configuration, runtime and settings folders, serves a copy of notebooks/ (with notebooks/rise.css) and
the repository's RISE settings (tools/rise/overrides.json, which `make lab` installs); Debian's chromium,
driven by Playwright, opens each notebook's slideshow at /rise/<notebook> at 1280 x 720, as a projector
shows it; for 02's player and 03's kernel editor, JupyterLab first (the warm-up), then the widget's cell
run on its slide and used there. The server is stopped at the end.
Without chromium or Playwright these tests are skipped with the reason; with CI set they fail instead.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import chromium
from chromium import unavailable

from tools import MARKER, ROOT, numbered_notebooks
from tools.browser import LOCAL_SERVER, elsewhere

# A browser or a server: `make unit` leaves these tests out (conftest.py).
pytestmark = pytest.mark.slow

browser = chromium.browser      # the shared headless chromium (a module-scoped fixture)
NOTEBOOK_DIR = ROOT / "notebooks"
NUMBERED = numbered_notebooks()
SETTINGS = ROOT / "tools" / "rise" / "overrides.json"
WIDTH, HEIGHT = 1280, 720
TOKEN = "rise-test-token"
# A synthetic notebook for what the course's notebooks may not have at every moment: a speaker note with
# a word found nowhere else, a slide wider than the screen and a sub-slide taller than it (the size
# checks must see both).
NOTE_WORD = "Zanzibar-7"


def load(path):
    return json.loads(Path(path).read_text())


def source(cell):
    return "".join(cell["source"])


def slide_type(cell):
    return cell["metadata"].get("slideshow", {}).get("slide_type")


def has_math(path):
    return any(cell["cell_type"] == "markdown" and re.search(r"\$[^$\n]+\$", source(cell))
               for cell in load(path)["cells"])


def synthetic_notebook():
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    def cell(text, kind):
        return new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})

    return nbformat.writes(new_notebook(cells=[
        cell("# First slide\n\nWhat the class sees.", "slide"),
        cell(f"**Say:** the word {NOTE_WORD} is for the lecturer only.", "notes"),
        cell("## Second slide\n\n<div style=\"width: 1600px\">a line wider than the screen</div>", "slide"),
        cell("## A sub-slide taller than the screen\n\n" + "".join(f"- line {i}\n" for i in range(40)), "subslide"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port serving a copy of notebooks/: {"url", "root", "api"}."""
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        unavailable("JupyterLab is not installed next to this Python (make setup installs it)")
    base = tmp_path_factory.mktemp("rise")
    root = base / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "zz_synthetic.ipynb").write_text(synthetic_notebook())
    overrides = base / "app-settings" / "overrides.d"
    overrides.mkdir(parents=True)
    shutil.copy(SETTINGS, overrides / "cnn-course-rise.json")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0",
               JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               JUPYTER_DATA_DIR=str(base / "data"), JUPYTERLAB_SETTINGS_DIR=str(base / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"))
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}",
               f"--LabApp.app_settings_dir={base / 'app-settings'}",
               f"--RiseApp.app_settings_dir={base / 'app-settings'}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(base / "server.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def api(path, method="GET"):
        request = urllib.request.Request(f"{url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    deadline = time.monotonic() + 120
    while True:
        try:
            api("status")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (base / "server.log").read_text()[-3000:])
            time.sleep(0.3)
    yield {"url": url, "root": root, "api": api, "log": base / "server.log"}
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    log.close()


@pytest.fixture
def visit(browser, lab):
    """Open a path of the server at 1280 x 720; return the page and the list of assets fetched from other hosts.

    Every request to another host is refused, as in a lecture hall without network. A script, stylesheet
    or font from elsewhere (a reveal.js theme's web fonts, a CDN's MathJax) is a problem; an image in a
    notebook's markdown (the Colab badge) only shows its alternative text.
    """
    contexts = []

    def open_page(path):
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        context.set_default_timeout(60_000)
        contexts.append(context)
        remote = []

        def refuse(route):
            request = route.request
            if request.resource_type in {"script", "stylesheet", "font"}:
                remote.append(f"{request.resource_type}: {request.url[:100]}")
            route.abort()

        context.route(elsewhere(LOCAL_SERVER), refuse)
        page = context.new_page()
        separator = "&" if "?" in path else "?"
        page.goto(f"{lab['url']}/{path}{separator}token={TOKEN}")
        return page, remote

    yield open_page
    for context in contexts:
        context.close()
    for session in lab["api"]("sessions"):  # one kernel per notebook opened: shut them down
        lab["api"](f"sessions/{session['id']}", method="DELETE")


def open_slideshow(visit, name, **query):
    arguments = "&".join(f"{k}={v}" for k, v in query.items())
    page, remote = visit(f"rise/{name}" + (f"?{arguments}" if arguments else ""))
    page.wait_for_selector(".reveal.ready")
    return page, remote


# Every slide and sub-slide as the audience sees it: reached by its address (RISE names a slide
# "slide-H-V", its address is #/slide-H-V), its fragments shown, then measured at 1280 x 720: its id,
# the cells on it, how far right its content reaches (an element that scrolls or clips sideways counts
# with its full scroll width), its height (its content laid out without the scroll bar RISE gives a tall
# slide), the element that reaches furthest, and its first words.
SLIDES = """async () => {
    const leaves = Array.from(document.querySelectorAll('.reveal .slides section'))
        .filter(s => !s.querySelector('section'));
    const shown = el => !el.closest('aside.notes') && !el.closest('.reveal-skip');
    const rows = [];
    for (const s of leaves) {
        // RISE now and then writes the previous slide's address back while it settles: ask again.
        for (let i = 0; i < 250 && !s.classList.contains('present'); i++) {
            if (i % 25 === 0) location.hash = `#/${s.id}`;
            await new Promise(r => setTimeout(r, 20));
        }
        if (!s.classList.contains('present')) throw new Error(`${s.id} was not shown at #/${s.id}`);
        s.querySelectorAll('.fragment').forEach(f => f.classList.add('visible'));
        // Scrolling as shown (RISE's scroll bar hides the slide's last lines), then the content's height.
        const scrolls = /auto|scroll/.test(getComputedStyle(s).overflowY) && s.scrollHeight > s.clientHeight + 1;
        const style = s.getAttribute('style');
        s.style.height = 'auto'; s.style.overflow = 'visible'; s.style.overflowY = 'visible';
        const box = s.getBoundingClientRect();
        let right = box.left, widest = '';
        for (const el of s.querySelectorAll('*')) {
            if (!shown(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            let reach = r.right;
            if (getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
                reach = r.left + el.scrollWidth + (r.width - el.clientWidth);
            if (reach > right + 0.5) {
                right = reach;
                widest = (el.innerText || el.tagName).trim().slice(0, 50).replace(/\\s+/g, ' ');
            }
        }
        const height = s.scrollHeight;
        if (style === null) s.removeAttribute('style'); else s.setAttribute('style', style);
        const cells = Array.from(s.querySelectorAll('.jp-Cell')).filter(shown).length;
        rows.push({id: s.id, cells, reach: right - box.left, width: box.width, height, scrolls,
                   widest, words: s.innerText.trim().slice(0, 50).replace(/\\s+/g, ' ')});
    }
    location.hash = '#/slide-0-0';
    return rows;
}"""


def too_wide(slides):
    return [f"{s['id']} {s['words']!r}: reaches {s['reach']:.0f} px of {WIDTH} ({s['widest']!r})"
            for s in slides if s["reach"] > WIDTH + 1]


def too_tall(slides):
    return [f"{s['id']} {s['words']!r}: {s['height']:.0f} px tall, the screen {HEIGHT} px"
            + ("; it scrolls, its last lines hidden" if s["scrolls"] else "")
            for s in slides if s["height"] > HEIGHT + 1 or s["scrolls"]]


# --- the slideshow of every notebook -------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NUMBERED, ids=lambda p: p.stem)
def test_every_rise_slide_fits_1280_by_720(visit, lab, notebook):
    """Nothing cut off at the right or scrolled sideways; math typeset; notes only in the speaker view."""
    notebook = lab["root"] / notebook.name  # the copy the server shows
    page, remote = open_slideshow(visit, notebook.name)
    assert page.evaluate("getComputedStyle(document.querySelector('.reveal .slides')).width") == f"{WIDTH}px", \
        "the slides are not 1280 px wide: tools/rise/overrides.json was not applied"
    if has_math(notebook):
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0")
        assert page.evaluate("document.querySelectorAll('mjx-merror').length") == 0, "a TeX error"
    slides = page.evaluate(SLIDES)
    expected = sum(slide_type(c) in {"slide", "subslide"} for c in load(notebook)["cells"])
    assert len(slides) >= expected, f"{len(slides)} slides in RISE, {expected} slide/sub-slide cells"
    wide = too_wide(slides)
    assert not wide, "slides wider than the screen (wrap or shorten the line):\n" + "\n".join(wide)
    tall = too_tall(slides)
    assert not tall, ("slides taller than the screen (a cell whose code and figure do not both fit becomes "
                      "two: the code, then its figure on a sub-slide):\n" + "\n".join(tall))
    text = page.evaluate("document.querySelector('.reveal .slides').textContent")
    markers = [m[0] for m in MARKER.finditer(text)]
    assert not markers, f"grading or test markers on the slides: {markers}"
    assert remote == [], "fetched from the network:\n" + "\n".join(remote)
    # Speaker notes: each notes cell is in RISE's <aside class="notes">, which the slide does not show.
    notes = sum(slide_type(c) == "notes" for c in load(notebook)["cells"])
    assert page.locator("aside.notes").count() == notes
    assert page.evaluate("Array.from(document.querySelectorAll('aside.notes'))"
                         ".every(a => getComputedStyle(a).display === 'none')"), "a speaker note shows on a slide"


def test_the_size_checks_see_a_slide_too_wide_and_a_sub_slide_too_tall(visit):
    page, _ = open_slideshow(visit, "zz_synthetic.ipynb")
    slides = page.evaluate(SLIDES)
    wide, tall = too_wide(slides), too_tall(slides)
    assert len(wide) == 1 and "wider than the screen" in wide[0], wide
    assert len(tall) == 1 and "A SUB-SLIDE TALLER" in tall[0].upper() and "px tall" in tall[0], tall


# --- speaker notes ----------------------------------------------------------------------------------------

def test_notes_show_in_the_speaker_view_not_on_the_slide(visit):
    page, _ = open_slideshow(visit, "zz_synthetic.ipynb", activeCellIndex=0)
    note = page.get_by_text(NOTE_WORD)
    assert note.count() >= 1 and not any(n.is_visible() for n in note.all()), "a speaker note shows on the slide"
    assert page.locator("aside.notes").count() == 1
    page.locator(".jp-Cell").first.click()
    page.keyboard.press("Escape")
    with page.context.expect_page() as popup:
        page.keyboard.press("t")
    speaker = popup.value
    speaker.wait_for_load_state()
    speaker.wait_for_function("word => document.querySelector('.speaker-controls-notes')?.innerText.includes(word)",
                              arg=NOTE_WORD, timeout=60_000)


# --- the live widgets of 02 and 03, run on their slides ------------------------------------------------

# The lecturer's key (README, "Presenting the lecture"): JupyterLab's "run the selected cell", which RISE's
# page keeps; it stays on the slide. RISE's Shift+Enter runs the cell and then selects the next one, which
# takes the slideshow to the next slide (and on the last cell adds a new one).
RUN_AND_STAY = "Control+Enter"
# [cell index, a hash of each image's source] for every figure the notebook shows (JupyterLab or RISE).
FIGURES = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map((cell, i) => [i,
    Array.from(cell.querySelectorAll('.jp-OutputArea img')).map(img => {
        let h = 5381;
        for (let k = 0; k < img.src.length; k++) h = ((h * 33) ^ img.src.charCodeAt(k)) >>> 0;
        return h;
    })])"""
# No cell waiting or running, and the kernel idle (JupyterLab's status bar; RISE's page has none).
IDLE = """() => !Array.from(document.querySelectorAll('.jp-InputPrompt')).some(p => p.innerText.includes('[*]'))
    && /Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText ?? 'Idle')"""
PRESENT = "() => Array.from(document.querySelectorAll('.reveal section.present')).pop()?.id"


def cell_index(page, marker):
    """The index among the page's cells of the one cell whose code contains `marker`."""
    index = page.evaluate("""marker => {
        const found = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map((c, i) =>
            [i, c.querySelector('.cm-content')?.textContent || '']).filter(([i, text]) => text.includes(marker));
        return found.length === 1 ? found[0][0] : -1;
    }""", marker)
    assert index >= 0, f"not exactly one cell contains {marker!r}"
    return index


def warm_up(visit, name, index, marker):
    """The README's warm-up in JupyterLab (the Run menu), as far as the widget needs it: the widget's cell
    (cell `index` of the notebook, its code containing `marker`) selected, Run > Run All Above Selected
    Cell; the set-up and every cell above it run in the notebook's kernel, which the slideshow then uses.
    Returns the page and the widget's cell there."""
    page, _ = visit(f"lab/tree/{name}?reset")  # reset: no notebook of an earlier test restored beside it
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.wait_for_function(IDLE)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()  # JupyterLab draws a cell's code when it comes into view
    cell.locator(".cm-content", has_text=marker).wait_for()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Shift+c")  # the command palette: the Run menu's command, by name
    page.locator(".lm-CommandPalette-input").fill("Run All Above Selected Cell")
    page.locator(".lm-CommandPalette-item[data-command='notebook:run-all-above']").first.click()
    page.wait_for_function("() => Array.from(document.querySelectorAll('.jp-InputPrompt'))"
                           ".some(p => p.innerText.includes('[*]'))")
    page.wait_for_function(IDLE, timeout=600_000, polling=500)
    return page, cell


def prompt_count(cell):
    text = cell.locator(".jp-InputPrompt").inner_text().strip()
    match = re.fullmatch(r"\[(\d+)\]:", text)
    assert match, f"the cell's prompt reads {text!r}"
    return int(match.group(1))


def run_and_stay(page, cell):
    """The lecturer's key on the selected cell; waits until `cell` shows its new execution count."""
    page.keyboard.press(RUN_AND_STAY)
    page.wait_for_function("cell => /^\\[\\d+\\]:$/.test(cell.querySelector('.jp-InputPrompt').innerText.trim())"
                           " && !cell.querySelector('.jp-InputPrompt').innerText.includes('[*]')",
                           arg=cell.element_handle(), timeout=180_000)


def only_its_figure_changes(page, index, act):
    """Do `act`; the figure of cell `index` changes, no other figure of the notebook does."""
    before = dict(page.evaluate(FIGURES))
    assert before[index], "the widget shows no figure"
    act()
    page.wait_for_function(f"([i, old]) => ({FIGURES})()[i][1].join() !== old",
                           arg=[index, ",".join(map(str, before[index]))], timeout=120_000)
    page.wait_for_function(IDLE)
    page.wait_for_timeout(1000)  # anything drawn into another figure has arrived by now
    after = dict(page.evaluate(FIGURES))
    changed = [i for i in before if i != index and before[i] != after.get(i)]
    assert after[index] != before[index]
    assert changed == [], f"the widget changed the figures of cells {changed} too"


def on_screen(locator):
    """Every element of `locator` is inside the 1280 x 720 window (on the slide, no scrolling needed)."""
    boxes = [element.bounding_box() for element in locator.all()]
    return bool(boxes) and all(b and b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= WIDTH + 0.5
                               and b["y"] + b["height"] <= HEIGHT + 0.5 for b in boxes)


def edit_the_centre_weight(cell):
    """03's editor: 9 weight boxes, 2 dropdowns; the centre weight typed as a lecturer types it."""
    weights = cell.locator(".jp-OutputArea .widget-text input")
    weights.first.wait_for()
    assert weights.count() == 9, f"the editor shows {weights.count()} weight boxes, not 9"
    assert cell.locator(".jp-OutputArea .widget-dropdown select").count() == 2, "not 2 dropdowns (preset, photo)"
    centre = weights.nth(4)
    value = "-3" if float(centre.input_value()) != -3 else "4"  # "-" too: no slideshow key may take it

    def act():
        centre.click()
        centre.press("Control+a")
        centre.press_sequentially(value)
        centre.press("Enter")

    return [weights, cell.locator(".jp-OutputArea .widget-dropdown select")], act, \
        lambda: float(centre.input_value()) == float(value)


def step_the_slider(cell):
    """02's player: play buttons and a slider; a click on the slider's track, three quarters along, takes the
    window there (the arrow keys do not move a slider in the slideshow; the mouse does)."""
    play = cell.locator(".jp-OutputArea .widget-play button")
    play.first.wait_for()
    assert play.count() >= 2, "the player shows no play buttons"
    track = cell.locator(".jp-OutputArea .widget-hslider .slider-container")
    readout = cell.locator(".jp-OutputArea .widget-hslider .widget-readout")
    start = readout.inner_text()

    def act():
        box = track.bounding_box()
        track.click(position={"x": 0.75 * box["width"], "y": box["height"] / 2})

    return [play, track], act, lambda: readout.inner_text() != start


LIVE_WIDGETS = {"02": ("Sliding-window player (live widget)", step_the_slider),
                "03": ("Kernel editor (live widget)", edit_the_centre_weight)}


def use_the_widget(page, index, controls_and_act):
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    controls, act, acted = controls_and_act(cell)
    only_its_figure_changes(page, index, act)
    assert acted(), "the control does not show the value it was given"
    return cell, controls


@pytest.mark.parametrize("number", LIVE_WIDGETS, ids=lambda n: n)
def test_live_widget_runs_and_redraws_on_its_slide(visit, lab, number):
    """02's player and 03's editor in RISE, as the README presents them: the warm-up in JupyterLab, the
    slideshow on the notebook's kernel, a click on the slide before the widget's, Space to the widget's
    slide, the lecturer's key: the cell runs there (the slideshow stays on that slide, no cell is added);
    its controls show on the slide; a weight typed (03) or a click on the slider (02) redraws its figure, no
    other."""
    marker, controls_and_act = LIVE_WIDGETS[number]
    notebook = next(p for p in NUMBERED if p.name.startswith(f"{number}_"))
    cells = load(notebook)["cells"]
    at = next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and marker in source(c))
    before = max(i for i in range(at) if slide_type(cells[i]) in {"slide", "subslide"})
    assert slide_type(cells[at]) in {"slide", "subslide"}, f"{marker!r} does not start a slide of its own"

    page, cell = warm_up(visit, notebook.name, at, marker)
    assert page.locator(".jp-Notebook .jp-Cell").count() == len(cells), "JupyterLab does not show every cell"
    # In JupyterLab as well (students): the cell runs, its control redraws its figure and no other.
    cell.locator(".jp-InputPrompt").click()
    run_and_stay(page, cell)
    use_the_widget(page, at, controls_and_act)
    warm = prompt_count(cell)
    page.close()

    page, remote = open_slideshow(visit, notebook.name, activeCellIndex=before)
    page.locator(".reveal section.present:not(.stack) .jp-MarkdownCell").first.click()  # into the slideshow
    page.keyboard.press("Space")
    index = cell_index(page, marker)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    slide = cell.evaluate("cell => cell.closest('section').id")
    page.wait_for_function(f"id => ({PRESENT})() === id", arg=slide)
    page.wait_for_function("cell => cell.classList.contains('jp-mod-active')", arg=cell.element_handle())
    count = page.locator(".jp-Notebook .jp-Cell").count()
    run_and_stay(page, cell)
    assert prompt_count(cell) == warm + 1, "the cell did not run once more in the warmed-up kernel"
    assert page.evaluate(PRESENT) == slide, "the slideshow left the widget's slide"
    assert page.locator(".jp-Notebook .jp-Cell").count() == count, "a cell was added"
    cell, controls = use_the_widget(page, index, controls_and_act)
    assert page.evaluate(PRESENT) == slide, "the slideshow left the widget's slide"
    for control in controls:
        assert on_screen(control), f"{control} is not on the slide"
    figure = cell.locator(".jp-OutputArea img")
    assert on_screen(figure), f"the figure reaches past the slide: {[f.bounding_box() for f in figure.all()]}"
    prompt = cell.locator(".jp-InputPrompt")
    assert prompt.evaluate("p => p.scrollWidth <= p.clientWidth"), "the prompt column cuts the count"
    assert cell.locator(".cm-content").evaluate("c => getComputedStyle(c).fontSize") == "18px"
    assert remote == []
