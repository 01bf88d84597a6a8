"""Lecture mode: reveal.js decks and a static HTML site from the committed, executed notebooks.

    python -m tools.lecture vendor        # npm: the pinned JavaScript below, into build/vendor (once)
    python -m tools.lecture slides [OUT]  # OUT/NAME.slides.html for every notebooks/*.ipynb (build/slides)
    python -m tools.lecture site [OUT]    # OUT/index.html and OUT/NAME.html (build/site)

Both work offline, opened from disk or served: nothing comes from a CDN. reveal.js (with its notes
plugin, the speaker view of key S), require.js, jQuery and MathJax 2 (what nbconvert's templates load)
are copied from build/vendor into OUT/_static and the pages point there; the Mermaid loader, the one CDN
address nbconvert does not let us change, is removed by the templates in tools/lecture_templates/.
The notebooks are converted as committed (no execution); in memory only, before conversion:
- links between notebooks (X.ipynb) point at the built files (X.html, or X.slides.html in the decks);
- remote images in markdown (the Colab badge) become text links, so that every image loads offline;
- widgets (their saved state and views) are dropped: a static page has no kernel to drive them, and
  the course's widget cells also show a static figure, which stays. HTML outputs stay, scripts and all:
  a matplotlib animation (`HTML(anim.to_jshtml())`) plays its frames in the page without a kernel; the
  remote stylesheet it links (Font Awesome, for its buttons) is removed, the templates draw the buttons;
- in the decks, the speaker notes of one (sub-)slide (cells of slide type "notes") become one note,
  because reveal.js' speaker view shows the first note of a slide.
The templates (course_lab: the site, course_reveal: the decks) give every figure its cell's description
(cell metadata "alt") as alternative text, fold speaker notes away on the site, and make every slide fit
a 1280 x 720 screen (the decks' size: long lines wrap, figures and wide outputs shrink to the slide).
Both meet WCAG 2.1 AA (tests/test_accessibility.py runs axe-core on every page and slide): the code is
coloured with CODE_STYLE, the templates give prompts, links, the slide number and the animations'
controls their contrast, underline and names (course_common.j2)."""

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from traitlets.config import Config

from tools import NOTEBOOKS, ROOT, title

TEMPLATES = Path(__file__).resolve().parent / "lecture_templates"
VENDOR = ROOT / "build" / "vendor"
# reveal.js's "white" theme uses fonts it ships; most other themes import Google's.
THEME = "white"
# The code's colours: accessible-pygments' a11y-light (what pydata-sphinx-theme uses), whose every colour
# has at least 4.5:1 on its background and on the cells' #f5f5f5 (WCAG 2.1 AA; nbconvert's own style has
# 4.2:1 for numbers and comments).
CODE_STYLE = "a11y-light"
# What nbconvert's reveal and lab templates load, at the versions they are written for
# (reveal.js 4 layout, the MathJax 2 API), pinned; `make vendor` installs exactly these. axe-core is not
# copied into the decks: tests/test_accessibility.py runs it on them (WCAG 2.1 AA).
NPM = {"reveal.js": "4.6.0", "requirejs": "2.3.7", "jquery": "3.7.1", "mathjax": "2.7.9", "axe-core": "4.14.1"}
# Copied into OUT/_static: (package, path inside it). MathJax: only the TeX input, the CommonHTML
# output and its web fonts (7 of its 73 MB); a missing file would show as a failed request in the tests.
ASSETS = [
    ("reveal.js", "dist/reveal.js"), ("reveal.js", "dist/reveal.css"), ("reveal.js", "plugin/notes"),
    ("reveal.js", f"dist/theme/{THEME}.css"), ("reveal.js", "dist/theme/fonts/source-sans-pro"),
    ("reveal.js", "LICENSE"),
    ("requirejs", "require.js"), ("jquery", "dist/jquery.min.js"), ("jquery", "LICENSE.txt"),
    ("mathjax", "MathJax.js"), ("mathjax", "LICENSE"), ("mathjax", "config/TeX-AMS_CHTML-full.js"),
    ("mathjax", "config/Safe.js"), ("mathjax", "extensions"), ("mathjax", "jax/element"),
    ("mathjax", "jax/input/TeX"), ("mathjax", "jax/output/CommonHTML"),
    ("mathjax", "jax/output/PreviewHTML"), ("mathjax", "fonts/HTML-CSS/TeX/woff"),
]
STATIC = "_static"
URLS = {
    "reveal_url_prefix": f"{STATIC}/reveal.js",
    "require_js_url": f"{STATIC}/requirejs/require.js",
    "jquery_url": f"{STATIC}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{STATIC}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}

LINKED_REMOTE_IMAGE = re.compile(r"\[!\[([^\]]*)\]\((https?://[^)\s]+)\)\]\(([^)\s]+)\)")
REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\((https?://[^)\s]+)\)")
REMOTE_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc=[\"'](https?://[^\"']+)[\"'][^>]*>", re.IGNORECASE)
ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.IGNORECASE)
NOTEBOOK_LINK = re.compile(r"(\]\(|href=[\"'])([\w.-]+)\.ipynb(?=[#)\"'])")
# A stylesheet from the network in an HTML output (matplotlib's animations link Font Awesome's).
REMOTE_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^\"']*[\"'][^>]*>", re.IGNORECASE)
NO_ALT = "No description has been provided for this image"   # nbconvert's stand-in for a missing alt
# The decks' size: a 16:9 projector's 1280 x 720, which reveal.js scales to the screen.
SLIDE_SIZE = ("1280", "720")
LOCAL_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s:]+)\)|<img\b[^>]*?\bsrc=[\"']([^\"':]+)[\"']", re.IGNORECASE)


def notebooks():
    """Every notebook of the course: notebooks/*.ipynb, the index included."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def vendor(check_only=False):
    """Install the pinned npm packages into build/vendor unless they are there at those versions."""
    def installed(name):
        meta = VENDOR / "node_modules" / name / "package.json"
        return meta.exists() and json.loads(meta.read_text())["version"]
    missing = [f"{name}@{version}" for name, version in NPM.items() if installed(name) != version]
    if not missing or check_only:
        return missing
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("lecture mode needs npm (Node.js) once, to fetch reveal.js and MathJax: "
                         "install it (Debian: apt-get install -y npm), then run `make vendor`")
    VENDOR.mkdir(parents=True, exist_ok=True)
    # Every pinned package in one install: npm removes what a --no-save install does not name.
    wanted = [f"{name}@{version}" for name, version in NPM.items()]
    done = subprocess.run([npm, "install", "--prefix", str(VENDOR), "--no-save", "--no-package-lock",
                           "--no-audit", "--no-fund", "--loglevel=error", *wanted], check=False)
    if done.returncode:
        raise SystemExit(f"npm could not install {', '.join(missing)} (is the npm registry reachable?)")
    return []


def copy_assets(out):
    missing = vendor(check_only=True)
    if missing:
        raise SystemExit(f"not in build/vendor: {', '.join(missing)}; run `make vendor` first")
    for package, part in ASSETS:
        src = VENDOR / "node_modules" / package / part
        dst = out / STATIC / package / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def offline_markdown(text, page_suffix):
    """Notebook links -> built pages; remote images -> text links (they would not load offline)."""
    text = LINKED_REMOTE_IMAGE.sub(lambda m: f"[{m[1] or 'link'}]({m[3]})", text)
    text = REMOTE_IMAGE.sub(lambda m: f"[{m[1] or m[2]}]({m[2]})", text)
    text = REMOTE_IMG_TAG.sub(
        lambda m: f'<a href="{m[1]}">{ALT.search(m[0])[1] if ALT.search(m[0]) else m[1]}</a>', text)
    return NOTEBOOK_LINK.sub(lambda m: f"{m[1]}{m[2]}{page_suffix}", text)


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def merged_notes(cells):
    """The cells with the notes of each (sub-)slide joined into its first notes cell."""
    kept, first_note = [], None
    for cell in cells:
        if slide_type(cell) in ("slide", "subslide"):
            first_note = None
        if slide_type(cell) == "notes":
            if first_note is not None:
                first_note.source = f"{first_note.source.rstrip()}\n\n{cell.source.lstrip()}"
                continue
            first_note = cell
        kept.append(cell)
    return kept


def prepared(path, page_suffix, deck=False):
    """The notebook as committed, with the in-memory changes of the module docstring."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["title"] = (title(nb.cells[0].source) if nb.cells else None) or path.stem
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = offline_markdown(cell.source, page_suffix)
        if "outputs" in cell:
            cell.outputs = [out for out in cell.outputs
                            if "application/vnd.jupyter.widget-view+json" not in out.get("data", {})]
            for out in cell.outputs:
                if "text/html" in out.get("data", {}):
                    markup = out.data["text/html"]
                    markup = "".join(markup) if isinstance(markup, list) else markup
                    out.data["text/html"] = REMOTE_STYLESHEET.sub("", markup)
    if deck:
        nb.cells = merged_notes(nb.cells)
    return nb


def local_images(path):
    """Relative image files a notebook's markdown shows (copied next to the built page)."""
    found = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for match in LOCAL_IMAGE.finditer(cell.source):
                target = (match[1] or match[2]).split("#")[0]
                if target and (path.parent / target).is_file():
                    found.add(target)
    return sorted(found)


def exporter(kind):
    config = {"extra_template_basedirs": [str(TEMPLATES)], "extra_template_paths": [str(TEMPLATES)],
              "config": Config({"CSSHTMLHeaderPreprocessor": {"style": CODE_STYLE}})}
    if kind == "slides":
        exp = SlidesExporter(template_name="course_reveal", reveal_theme=THEME, reveal_scroll=True,
                             reveal_number="c/t", reveal_width=SLIDE_SIZE[0], reveal_height=SLIDE_SIZE[1],
                             exclude_input_prompt=True,
                             exclude_output_prompt=True, **config)
    else:
        exp = HTMLExporter(template_name="course_lab", **config)
    for name, url in URLS.items():
        if exp.has_trait(name):
            setattr(exp, name, url)
    return exp


def build(kind, out, paths=None):
    """Write the decks (kind "slides") or the pages (kind "site") of `paths` into `out`; return their paths."""
    if kind not in ("slides", "site"):
        raise ValueError(f"kind must be 'slides' or 'site', got {kind!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    suffix = ".slides.html" if kind == "slides" else ".html"
    exp = exporter(kind)
    written = []
    for path in paths or notebooks():
        nb = prepared(path, suffix, deck=kind == "slides")
        body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        target = out / f"{path.stem}{suffix}"
        target.write_text(body, encoding="utf-8")
        for image in local_images(path):
            (out / image).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path.parent / image, out / image)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["vendor", "slides", "site"])
    parser.add_argument("out", nargs="?", help="output folder (default build/slides or build/site)")
    args = parser.parse_args(argv)
    if args.kind == "vendor":
        vendor()
        return 0
    out = Path(args.out or ROOT / "build" / args.kind)
    for target in build(args.kind, out):
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
