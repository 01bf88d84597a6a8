"""Handouts: every lecture deck as a PDF, one 16:9 page per slide, and a lecturer's copy with the notes.

    python -m tools.handouts [DECKS] [OUT]   # build/slides -> build/handouts (`make handouts`)

For each numbered deck NN_name.slides.html of DECKS (`make slides`) this writes OUT/NN_name.pdf and
OUT/NN_name-notes.pdf. The decks are printed as reveal.js prints them (its print mode, `?print-pdf`,
in Debian's chromium driven by Playwright; opened from disk, every request to a network refused):
- one page per slide (pdfMaxPagesPerSlide=1), with all of its fragments shown (pdfSeparateFragments=false),
  the page as large as the deck's slide (1280 x 720 and reveal.js' margin: 16:9);
- printed once MathJax has typeset every formula, so no page shows raw TeX; the text stays text
  (selectable and searchable), nothing is a screenshot;
- an animation (matplotlib's player) printed as its last frame, the one that shows the whole run (the
  sliding window's full output, the last kernel), without its buttons;
- the -notes copy: each page the slide, and under it the slide's speaker notes (the cells of type
  "notes"), every page as tall as the longest notes need.
The slides must fit the screen (tests/test_lecture_mode.py): reveal.js cuts what a page cannot hold.
"""

import argparse
import sys
import time
from pathlib import Path

from tools import ROOT, numbered_notebooks, shown
from tools.browser import LOCAL_URL, MATHJAX_DONE, elsewhere, launched

DECKS = ROOT / "build" / "slides"
OUT = ROOT / "build" / "handouts"
# reveal.js' print mode, one page per slide with its fragments shown (reveal.js reads its settings from
# the address as well).
PRINT = "?print-pdf&pdfSeparateFragments=false&pdfMaxPagesPerSlide=1"
# MathJax 2 keeps each formula's TeX in a <script type="math/tex"> and puts its typeset form before it:
# the formulas that have none (a page would print nothing where the formula is).
UNTYPESET = r"""() => Array.from(document.querySelectorAll('script[type^="math/tex"]'))
    .filter(s => !/\bMathJax_CHTML\b|\bmjx-chtml\b/.test(s.previousElementSibling?.className || ''))
    .map(s => s.textContent.slice(0, 40))"""

# After reveal.js has laid out its pages: every animation at its last frame, its controls hidden.
LAST_FRAMES = """() => {
    document.querySelectorAll('.animation img[id^="_anim_img"]').forEach(img => {
        const player = window['anim' + img.id.slice('_anim_img'.length)];
        if (player) player.last_frame();
    });
    const style = document.createElement('style');
    style.textContent = '.animation .anim-controls, .animation .anim-buttons, .animation .anim-state,'
        + ' .animation input.anim-slider { display: none !important; }';
    document.head.appendChild(style);
}"""

# The lecturer's copy: under each page's slide, the slide's notes; every page as tall as the tallest
# notes need (the same size for all, as a printer wants).
NOTES_UNDER_SLIDES = """() => {
    const pages = Array.from(document.querySelectorAll('.pdf-page'));
    const width = pages[0].offsetWidth, slideHeight = pages[0].offsetHeight;
    let tallest = 0;
    for (const page of pages) {
        const box = document.createElement('div');
        box.className = 'handout-notes';
        const notes = page.querySelector('aside.notes');
        box.innerHTML = notes ? notes.innerHTML : '';
        box.style.cssText = `position: absolute; left: 0; top: ${slideHeight}px; width: ${width}px;`
            + 'box-sizing: border-box; padding: 16px 48px; border-top: 2px solid #555; font-size: 22px;'
            + 'line-height: 1.35; text-align: left; color: #111; background: #fff;';
        page.appendChild(box);
        tallest = Math.max(tallest, box.offsetHeight);
    }
    const height = slideHeight + Math.max(tallest, 200);
    pages.forEach(page => { page.style.height = `${height}px`; });
    const style = document.createElement('style');
    style.textContent = `@page { size: ${width}px ${height}px; margin: 0; }`
        + ` .reveal .slides .pdf-page { height: ${height}px !important; }`;
    document.head.appendChild(style);
    return [pages.length, width, height];
}"""


def print_deck(browser, deck, target, notes_target):
    """Print one deck (a .slides.html file) to `target`, then with its notes to `notes_target`; return
    the number of pages of each."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route(elsewhere(LOCAL_URL), lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(deck.resolve().as_uri() + PRINT, wait_until="load")
        page.wait_for_function("window.Reveal && Reveal.isReady() && document.querySelector('.pdf-page')")
        try:   # MathJax typesets in turns: wait until every formula has its typeset form
            page.wait_for_function(f"({MATHJAX_DONE}) && ({UNTYPESET})().length === 0", timeout=90_000, polling=250)
        except PlaywrightTimeout:
            untypeset = page.evaluate(UNTYPESET)
            raise RuntimeError(f"{deck.name}: {len(untypeset)} formulas not typeset by MathJax, "
                               f"e.g. {untypeset[:3]}") from None
        page.evaluate(LAST_FRAMES)
        count = page.evaluate("document.querySelectorAll('.pdf-page').length")
        page.wait_for_timeout(200)   # the last frames' images decoded
        target.parent.mkdir(parents=True, exist_ok=True)
        # Chromium adds an empty page after the last one: print the slides' pages only.
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True, page_ranges=f"1-{count}")
        page.evaluate(NOTES_UNDER_SLIDES)
        page.pdf(path=str(notes_target), prefer_css_page_size=True, print_background=True,
                 page_ranges=f"1-{count}")
        return count
    finally:
        context.close()


def build(decks=DECKS, out=OUT, names=None, browser=None):
    """Print every numbered deck of `decks` (or those whose notebook stem is in `names`) into `out`, both
    copies, with `browser` (a Playwright chromium) or one launched for it; return [(pdf path, pages)]."""
    found = numbered_notebooks(decks, ".slides.html")
    if names is not None:
        found = [deck for deck in found if deck.name.removesuffix(".slides.html") in names]
    if not found:
        raise SystemExit(f"no decks in {decks}: run `make slides` first")
    if browser is None:
        with launched() as browser:
            return build(decks, out, names, browser)
    written = []
    for deck in found:
        stem = deck.name.removesuffix(".slides.html")
        targets = Path(out) / f"{stem}.pdf", Path(out) / f"{stem}-notes.pdf"
        pages = print_deck(browser, deck, *targets)
        written += [(target, pages) for target in targets]
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("decks", nargs="?", default=DECKS, type=Path, help="the decks' folder (build/slides)")
    parser.add_argument("out", nargs="?", default=OUT, type=Path, help="where the PDFs go (build/handouts)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    for target, pages in build(args.decks, args.out):
        print(f"wrote {shown(target)} ({pages} pages)")
    print(f"handouts written in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
