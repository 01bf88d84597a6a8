"""Debian's chromium, headless, as the course's tools and browser tests drive it (with Playwright).

Playwright's own browser download (`playwright install`) is never used: the machines the course runs on
install Debian's `chromium` (`apt-get install -y chromium`), and the closed network of a lecture hall or
a CI machine refuses everything else. Where Debian's `chromium-headless-shell` is installed too (.ci/run
installs it), it is used: the same Blink without the browser's window machinery, the build Playwright
itself runs headless; the course's browser tests need about a quarter less CPU with it (CPU seconds of
the four browser modules, one after the other: 463 with chromium, 351 with the shell). The flags keep
chromium from reaching for the network itself.
"""

import os
import re
from contextlib import contextmanager

#: The chromium that runs headless: $CHROMIUM, else Debian's headless shell, else Debian's chromium.
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if os.path.exists(path)),
    "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: What a page opened from disk may load: its own files and inline data, nothing from a network.
LOCAL_URL = ("file:", "data:", "blob:", "about:")
#: The address of a page served by a test's local server (any port).
LOCAL_SERVER = ("http://127.0.0.1:",)


def elsewhere(allowed):
    """A pattern for Playwright's `route` that matches every URL that starts with none of `allowed`: the
    requests to refuse. Playwright's driver matches it, so the allowed requests (all a deck's own files)
    go through without a round trip to Python for each."""
    return re.compile("^(?!" + "|".join(re.escape(prefix) for prefix in allowed) + ")")


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
