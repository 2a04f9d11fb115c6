"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server.

Chromium is the system one (/usr/bin/chromium, Debian package `chromium`; `.ci/run` installs it),
never a downloaded build (`playwright install` needs the internet). Without it these tests skip
and say why. Each test saves screenshots under var/screenshots/<test>-<step>.png: look at them.

    def test_something(browser_page: BrowserPage, scenario: Scenario) -> None:
        page = browser_page.open("/", viewport=PHONE)
        ...
        browser_page.shot("home")          # var/screenshots/test_something-home.png

The world is built in the test's transaction-less database (live_server needs `transactional_db`,
which the fixtures here request), so the server thread sees it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _skip_without_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
            ".ci/run installs it)"
        )


@pytest.fixture(scope="session")
def chromium(django_db_setup: None) -> Iterator[Any]:
    """One headless Chromium for the whole run (started only if a browser test runs).

    Playwright's sync API keeps an event loop running in this thread from here on; the tests'
    own ORM calls (given / then) are still plain synchronous code, which Django refuses in a
    thread with a running loop unless told it is safe (DJANGO_ALLOW_ASYNC_UNSAFE).
    """
    _skip_without_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserPage:
    """A fresh browser context per test; `open` a path of the live server, `shot` a step."""

    browser: Any
    base_url: str
    test_name: str
    contexts: list[Any] = field(default_factory=list)
    page: Any = None

    def open(self, path: str, *, viewport: dict[str, int], locale: str = "zh-CN") -> Any:
        context = self.browser.new_context(
            viewport=viewport,
            locale=locale,
            timezone_id="Asia/Shanghai",
            device_scale_factor=1,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
            reduced_motion="reduce",  # Bootstrap then opens menus without animation
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        self.page = context.new_page()
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, step: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browser_page(
    request: pytest.FixtureRequest, chromium: Any, live_server: Any, transactional_db: None
) -> Iterator[BrowserPage]:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    page = BrowserPage(browser=chromium, base_url=live_server.url, test_name=name)
    try:
        yield page
    finally:
        page.close()
