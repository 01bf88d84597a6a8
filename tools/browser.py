"""Debian's chromium, headless, as the course's tools and browser tests drive it (with Playwright).

Playwright's own browser download (`playwright install`) is never used: the machines the course runs on
install Debian's `chromium` (`apt-get install -y chromium`), and the closed network of a lecture hall or
a CI machine refuses everything else. The flags keep chromium from reaching for the network itself.
"""

import os
from contextlib import contextmanager

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: What a page opened from disk may load: its own files and inline data, nothing from a network.
LOCAL_URL = ("file:", "data:", "blob:", "about:")
#: True once MathJax (if the page has it) has typeset everything it was given.
MATHJAX_DONE = ("!window.MathJax || (MathJax.isReady && MathJax.Hub.queue.pending === 0"
                " && !MathJax.Hub.queue.running)")


@contextmanager
def launched():
    """A headless chromium (Playwright's Browser), closed on exit; SystemExit with one sentence when
    chromium or Playwright is missing."""
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"no chromium at {CHROMIUM}: install it (Debian: apt-get install -y chromium) "
                         "or name it with CHROMIUM=/path/to/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("Playwright is not installed: `make setup` installs it (requirements.txt)") from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
