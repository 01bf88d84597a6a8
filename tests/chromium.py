"""What the browser tests share: Debian's chromium, driven by Playwright, with this machine's network closed.

Without chromium or Playwright the browser tests are skipped with the reason; when CI is set (CI=true,
as in .ci/run, which installs them) they fail instead.
"""

import os
from pathlib import Path

import pytest

from tools.browser import CHROMIUM, CHROMIUM_ARGS

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
