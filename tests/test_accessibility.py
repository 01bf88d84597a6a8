"""WCAG 2.1 AA: axe-core (pinned in tools/lecture.py's NPM, installed by `make vendor`) in chromium, offline,
on every page of the site and on every slide of every deck.

reveal.js hides every slide but the current one, and axe skips what is hidden, so a deck is opened once and
each of its slides and sub-slides is shown in turn (Reveal.slide(h, v) with all its fragments) and checked
(the other slides leave the page meanwhile, which makes axe ten times faster); the whole deck, with what
surrounds the slides (controls, slide number, the page's language and title), is checked once. Folded
blocks (<details>: solutions, the site's speaker notes) are opened first. A violation is named by page,
slide (h/v, its number as the deck shows it, its first words), rule and element. The animations' controls
are also used with the keyboard alone.

Run as a script, it counts the violations of a built site and decks by rule (after `make slides site`):
`PYTHONPATH=. .venv/bin/python tests/test_accessibility.py build`.
"""

import json
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import chromium
from chromium import MATHJAX_DONE, unavailable

from tools import ROOT, lecture

# A browser or a server: `make unit` leaves these tests out (conftest.py).
pytestmark = pytest.mark.slow

browser = chromium.browser      # the shared headless chromium (a module-scoped fixture)
from_disk = chromium.from_disk  # open a built file from disk, offline

AXE = lecture.VENDOR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what the course promises (its guide, "Accessible to everyone").
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOTEBOOKS = lecture.notebooks()
KINDS = {"site": ".html", "slides": ".slides.html"}     # the built pages' folders and suffixes

# Runs axe on the page (a site page), or on a whole deck (what surrounds the slides, and the first one) and
# then on each of its slides shown in turn: returns a list of [where, rule, element, what axe says], and the
# number of rules that found something to check on each part (0: axe looked at nothing, a slide not shown).
AUDIT = """async ({tags, deck}) => {
    const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
    const words = el => (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const found = [], checked = [];
    const run = async (context, where) => {
        const result = await axe.run(context, options);
        checked.push([where, result.passes.length + result.violations.length + result.incomplete.length]);
        for (const rule of result.violations) {
            for (const node of rule.nodes) {
                const says = node.any.concat(node.all, node.none).map(check => check.message).join('; ');
                const target = node.target.join(' ');
                const at = target.length > 60 ? `...${target.slice(-60)}` : target;
                found.push([where, rule.id, `${node.html.slice(0, 100)} at ${at}`, says.slice(0, 200)]);
            }
        }
    };
    // While axe checks a slide, the other slides (hidden) leave the page, and come back after: axe walks the
    // whole document on every run, ten times slower with them there. No style selects a slide by its
    // siblings, so the slide is drawn as before; its box is compared to make sure.
    const alone = async (slide, check) => {
        const box = () => JSON.stringify(slide.getBoundingClientRect());
        const before = box();
        const stack = slide.parentElement.closest('section') || slide;
        const others = Array.from(document.querySelectorAll('.reveal .slides > section')).filter(s => s !== stack)
            .concat(Array.from(stack.querySelectorAll(':scope > section')).filter(s => s !== slide));
        const away = others.map(other => {
            const mark = document.createComment('');
            other.replaceWith(mark);
            return [mark, other];
        });
        try {
            if (box() !== before) throw new Error(`the slide moved when the others left: ${before} to ${box()}`);
            await check();
        } finally {
            away.forEach(([mark, other]) => mark.replaceWith(other));
        }
    };
    document.querySelectorAll('details').forEach(block => { block.open = true; });
    if (!deck) {
        await run(document, 'the page');
        return [found, checked];
    }
    // Slides and fragments change at once: axe must not see a colour half-way through a fade.
    Reveal.configure({transition: 'none', backgroundTransition: 'none'});
    const still = document.createElement('style');
    still.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
    document.head.appendChild(still);
    await run(document, 'the whole deck (its first slide shown)');
    const stacks = Reveal.getHorizontalSlides();
    for (let h = 0; h < stacks.length; h++) {
        const count = stacks[h].querySelectorAll(':scope > section').length || 1;
        for (let v = 0; v < count; v++) {
            Reveal.slide(h, v, 999);
            await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
            const slide = Reveal.getCurrentSlide();
            const number = `${Reveal.getSlidePastCount() + 1}/${Reveal.getTotalSlides()}`;
            await alone(slide, () => run(slide, `slide ${h}/${v} (${number}, ${JSON.stringify(words(slide))})`));
        }
    }
    return [found, checked];
}"""


def audit(page, deck):
    """axe's violations on a page opened in chromium: [[where, rule, element, message], ...]; fails when a
    part of it (a slide) gave axe nothing to check."""
    page.wait_for_function(MATHJAX_DONE)
    page.add_script_tag(path=str(AXE))
    found, checked = page.evaluate(AUDIT, {"tags": TAGS, "deck": deck})
    empty = [where for where, rules in checked if rules == 0]
    assert not empty, f"axe found nothing to check on: {empty}"
    return found


def report(name, found, limit=30):
    """The violations grouped by part (page, slide) and rule: how many, and the first elements with axe's words."""
    groups = {}
    for where, rule, element, says in found:
        groups.setdefault((where, rule), []).append(f"{element[:160]} ({says[:160]})")
    counts = ", ".join(f"{rule} {n}" for rule, n in Counter(rule for _, rule, _, _ in found).most_common())
    lines = [f"{where}: {rule} x{len(nodes)}: " + "\n        ".join(nodes[:3])
             for (where, rule), nodes in groups.items()]
    more = [f"... and {len(lines) - limit} more parts"] if len(lines) > limit else []
    return f"{name}: {len(found)} WCAG 2.1 AA violations ({counts}):\n" + "\n".join(lines[:limit] + more)


@pytest.fixture(scope="module")
def axe_installed():
    if not AXE.is_file():
        unavailable(f"axe-core is not installed ({AXE.relative_to(ROOT)}): run `make vendor`")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_page_and_every_slide_passes_wcag_21_aa(axe_installed, from_disk, built, notebook, kind):
    """The notebook's page of the site (kind "site"), or every slide of its deck (kind "slides")."""
    path = built["root"] / kind / f"{notebook.stem}{KINDS[kind]}"
    page, _ = from_disk(path)
    found = audit(page, deck=kind == "slides")
    assert not found, report(path.name, found)


# The animation of notebook 02 (the sliding window), as matplotlib's player draws it: its frame and controls.
ANIMATED = next(nb for nb in NOTEBOOKS if nb.name.startswith("02_"))
FRAME = "() => document.querySelector('.animation img').src"
FOCUSED = "() => document.activeElement.getAttribute('aria-label') || ''"


def tab_to(page, name, presses=200):
    """Press Tab until the control named `name` has the focus; return the element."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == name:
            return page.evaluate_handle("document.activeElement")
    raise AssertionError(f"{presses} presses of Tab never reach the control named {name!r}")


@pytest.mark.parametrize("kind", KINDS)
def test_the_animation_plays_with_the_keyboard_alone(axe_installed, from_disk, built, kind):
    """Tab reaches the animation's slider and buttons, each shows where the focus is, the arrow keys move
    the slider (not the deck) and Enter presses a button: each changes the frame shown."""
    page, problems = from_disk(built["root"] / kind / f"{ANIMATED.stem}{KINDS[kind]}")
    where = "() => window.Reveal ? [Reveal.getIndices().h, Reveal.getIndices().v] : null"
    if kind == "slides":
        page.evaluate("() => { const s = document.querySelector('.animation').closest('section');"
                      " const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v, -1); }")
    page.wait_for_function(f"({FRAME})().startsWith('data:image')")
    slide = page.evaluate(where)
    for name, key in (("Frame of the animation", "ArrowRight"), ("Next frame", "Enter")):
        control = tab_to(page, name)
        outline = page.evaluate("el => getComputedStyle(el).outlineStyle", control)
        assert outline not in ("none", ""), f"{kind}: the focused {name!r} shows no focus outline"
        before = page.evaluate(FRAME)
        page.keyboard.press(key)
        page.wait_for_function(f"({FRAME})() !== {json.dumps(before)}", timeout=5000)
        assert page.evaluate(where) == slide, f"{kind}: {key} on {name!r} moved the deck"
    assert problems == [], "\n".join(problems)


def test_the_audit_finds_what_a_hidden_slide_hides(axe_installed, from_disk, tmp_path):
    """A deck whose third slide has pale text and an unnamed text box: both are found and named by slide,
    though reveal.js hides that slide when the deck opens."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    def md(text):
        return new_markdown_cell(text, metadata={"slideshow": {"slide_type": "slide"}})

    notebook = tmp_path / "01_pale.ipynb"
    nbformat.write(new_notebook(cells=[md("# A deck"), md("Plain text."),
                                       md('<p style="color: #aaaaaa">Pale words on white</p>\n\n<input type="text">')]),
                   notebook)
    page, _ = from_disk(lecture.build("slides", tmp_path / "slides", [notebook])[0])
    found = audit(page, deck=True)
    assert {(where.split(" (")[0], rule) for where, rule, _, _ in found} >= \
        {("slide 2/0", "color-contrast"), ("slide 2/0", "label")}, report("01_pale.slides.html", found)
    assert all(where.startswith("slide 2/0 (3/3, \"Pale words on white") for where, _, _, _ in found), \
        report("01_pale.slides.html", found)


def count(folder):
    """Print the violations of the site and the decks in `folder` (`site/`, `slides/`), by rule and page."""
    from playwright.sync_api import sync_playwright

    folder = Path(folder)
    total, everything = Counter(), []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium.CHROMIUM, args=chromium.CHROMIUM_ARGS)
        for kind, suffix in KINDS.items():
            for notebook in NOTEBOOKS:
                path = folder / kind / f"{notebook.stem}{suffix}"
                start = time.perf_counter()
                context, _ = chromium.offline_context(browser, [], chromium.LOCAL_URL, 30_000)
                page = context.new_page()
                page.goto(path.resolve().as_uri(), wait_until="load")
                slides = 1
                if kind == "slides":
                    page.wait_for_function("window.Reveal && Reveal.isReady()")
                    slides = page.evaluate("Reveal.getTotalSlides()")
                found = audit(page, deck=kind == "slides")
                context.close()
                everything += [[path.name, *row] for row in found]
                rules = Counter(rule for _, rule, _, _ in found)
                total.update(rules)
                parts = len({where for where, *_ in found})
                print(f"{path.name:42} {time.perf_counter() - start:5.1f} s {slides:3} slides {len(found):5} nodes "
                      f"in {parts:3} parts {json.dumps(dict(rules))}")
        browser.close()
    print(f"all: {sum(total.values())} nodes {json.dumps(dict(total.most_common()))}")
    return everything


if __name__ == "__main__":
    count(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build")
