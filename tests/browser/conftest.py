"""Browser test set-up: Debian's Chromium, headless, driven by Playwright's sync API.

Without /usr/bin/chromium the browser tests are skipped with the reason; under CI=true (where
.ci/run installs it) a missing browser fails them instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "screens"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        reason = f"needs Chromium at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are
    # plain synchronous code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield launched
        finally:
            # While Playwright's loop runs, Django keeps this thread's connections per context
            # (asgiref's Local), so the test's ORM calls opened their own: close them here,
            # in that context. Left open, they kept the test database from being dropped.
            connections.close_all()
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # 1280 px: the width the queue must stay readable at (status columns visible).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def shot(page: Any, name: str, *, both: bool = False) -> Path:
    """A screenshot under var/test-artifacts/screens/; with `both`, one in light and one in dark
    mode (the admin follows prefers-color-scheme)."""
    path = ARTIFACTS / f"{name}.png"
    if not both:
        page.screenshot(path=str(path), full_page=True)
        return path
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        path = ARTIFACTS / f"{name}-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
    page.emulate_media(color_scheme="light")
    return path
