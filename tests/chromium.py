"""What the browser tests share: Debian's chromium, driven by Playwright, with this machine's network closed.
The lecture mode's site and decks that they open are built once a session (the `built` fixture of
conftest.py).

Without chromium, Playwright or the decks' JavaScript (`make vendor`) the browser tests are skipped with
the reason; when CI is set (CI=true, as in .ci/run, which installs them) they fail instead.
"""

import os
from pathlib import Path

import pytest

from tools.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_URL, MATHJAX_DONE, elsewhere  # noqa: F401 - MATHJAX_DONE for the tests

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason):
    """Skip (on a developer's machine) or fail (on CI) a test whose tools are missing."""
    if ON_CI:
        pytest.fail(f"{reason} (CI is set: .ci/run installs what these tests need)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the module's tests."""
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


def offline_context(browser, contexts, allowed, timeout):
    """A 1280 x 720 context in which only requests whose URL starts with one of `allowed` go through, as
    on a lecture-hall laptop without network; returns it and the problems its pages (pop-ups included)
    report: errors, refused or failed requests, HTTP errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.set_default_timeout(timeout)
    contexts.append(context)
    problems = []

    def refuse(route):
        problems.append(f"request to the network: {route.request.url[:100]}")
        route.abort()

    def watch(page):
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} {m.location}"))
        page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url[:100]} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url[:100]}"))

    context.route(elsewhere(allowed), refuse)
    context.on("page", watch)
    return context, problems


@pytest.fixture
def from_disk(browser):
    """Open a built file as file:// with every request that is not a local file refused; return the page
    and the problems seen (errors, refused requests), the speaker view's included."""
    contexts = []

    def open_page(path):
        context, problems = offline_context(
            browser, contexts, LOCAL_URL, timeout=15_000)
        page = context.new_page()
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        if path.name.endswith(".slides.html"):
            try:
                page.wait_for_function("window.Reveal && Reveal.isReady()")
            except Exception as error:
                raise AssertionError(f"reveal.js did not start in {path.name}:\n" + "\n".join(problems)) from error
        return page, problems

    yield open_page
    for context in contexts:
        context.close()
