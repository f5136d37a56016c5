"""Browser journeys: Playwright driving Debian's Chromium against a live server, with axe-core on every page.

- `site` is the browser tab of one test, wrapped so that every page it reaches is checked: axe-core (vendored at a
  pinned version, e2e/vendor/axe.min.js) with the WCAG 2.0, 2.1 and 2.2 A and AA rules, one h1, headings in order,
  a main landmark and a title that names the page. A page reached and not checked fails the test.
- Every route a journey reaches is recorded; e2e/test_zz_every_page_is_reached.py fails for an HTML page of the
  product that no journey reaches.
- Time runs (it is frozen for the unit tests): the live server and the browser see the same clock, starting at
  Wednesday 18/11/2026 10:00, the day the unit tests use.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); Playwright's own browser downloads are never used.
The pages are tested with exactly the fonts `make e2e` installs (FONTS below): the stylesheet names them first, so a
journey's result does not depend on what else the machine has. The run's header and summary record the Chromium
version and the font files the journeys ran with.
"""

from __future__ import annotations

import importlib
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

import pytest
import time_machine
from django.apps import apps
from django.urls import Resolver404, resolve
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import NOW
from suspensions.models import ReasonCode

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The families the stylesheet names first (static/css/app.css), each with the Debian package `make e2e` installs.
FONTS = {
    "Liberation Sans": "fonts-liberation",
    "Liberation Mono": "fonts-liberation",
    "DejaVu Sans": "fonts-dejavu-core",
}
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "correct-horse-battery"  # testsupport.factories.UserFactory

# Route name -> the paths at which a journey reached it (every test of the session adds to it).
REACHED: dict[str, set[str]] = {}


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[Any]:
    """Overrides the unit tests' frozen clock: in a browser, time must run (timeouts, sessions)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _live(transactional_db: None, live_server: Any) -> None:
    """Every journey runs against the live server, on a database the server thread can see.

    Between journeys the database is flushed, which also empties the DfE reason codes that a data migration loads:
    they are loaded again here."""
    if not ReasonCode.objects.exists():
        importlib.import_module("suspensions.migrations.0002_reason_codes_2020").add_codes(apps, None)


def font_file(family: str) -> str:
    """The file fontconfig (which Chromium asks on Linux) gives for a family, or "" when it has only a substitute."""
    if shutil.which("fc-match") is None:
        return ""
    found = subprocess.run(
        ["fc-match", "--format=%{family}\t%{file}", family],  # noqa: S607 (fontconfig's tool, from PATH)
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    families, _, file = found.partition("\t")
    return file if family in families.split(",") else ""


def missing_fonts() -> list[str]:
    return [f"{family} ({package})" for family, package in FONTS.items() if not font_file(family)]


def chromium_version() -> str:
    if not Path(CHROMIUM).exists():
        return f"not installed at {CHROMIUM}"
    printed = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)
    return printed.stdout.strip() or "unknown"


def pytest_report_header() -> list[str]:
    """What the journeys run on, at the top of every run: the browser and the font file behind each family."""
    fonts = ", ".join(f"{family}: {Path(font_file(family)).name or 'MISSING'}" for family in FONTS)
    return [f"browser: {chromium_version()}", f"fonts: {fonts}"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The same, at the end, where `-q` (as in `make e2e`) still shows it."""
    for line in pytest_report_header():
        terminalreporter.write_line(f"Browser journeys ran on {line}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make e2e`, which installs Debian's chromium.")
    if missing := missing_fonts():
        pytest.fail(
            f"The fonts the pages are tested with are not installed: {', '.join(missing)}. Run `make e2e`, which "
            "installs them, so that the journeys do not depend on whatever fonts this machine happens to have."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def route_name(url: str) -> str:
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


@dataclass
class Site:
    """One browser tab on the live server. `go` and `check` make sure every page reached is checked."""

    page: Page
    base: str
    checked: set[str] = field(default_factory=set)
    visited: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def go(self, path: str) -> Page:
        self.page.goto(self.url(path))
        self.check()
        return self.page

    def check(self, *, context: str = "") -> None:
        """The page now shown passes axe (WCAG 2.0/2.1/2.2 A and AA) and the structural checks."""
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        where = f"{url}{f' ({context})' if context else ''}"
        page.evaluate(AXE)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]
        assert violations == [], f"axe on {where}:\n" + "\n".join(violations)
        structure = page.evaluate(
            """() => ({
                h1: document.querySelectorAll('h1').length,
                levels: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1])),
                main: document.querySelectorAll('main').length,
                title: document.title,
                lang: document.documentElement.lang,
            })"""
        )
        assert structure["h1"] == 1, f"{where}: {structure['h1']} h1 headings"
        levels = structure["levels"]
        skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not skips, f"{where}: heading levels skip {skips}"
        assert structure["main"] == 1, f"{where}: {structure['main']} main landmarks"
        assert structure["title"].strip(), f"{where}: no page title"
        assert structure["lang"] == "en-GB", f"{where}: lang is {structure['lang']!r}"
        self.checked.add(url)
        name = route_name(url)
        if name:
            REACHED.setdefault(name, set()).add(urlsplit(url).path)

    def sign_in(self, user: Any, *, next_path: str = "") -> None:
        """Sign in with the password and a code from the user's authenticator app (a confirmed TOTP device)."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        page = self.page
        self.go(f"/accounts/login/{f'?next={next_path}' if next_path else ''}")
        page.get_by_label("User name").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        self.check(context="two-factor code")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.locator("main input[type=text], main input[inputmode=numeric]").first.fill(
            f"{totp.token():0{device.digits}d}"
        )
        page.locator("main").get_by_role("button").first.click()
        page.wait_for_load_state("load")
        assert "/accounts/" not in urlsplit(page.url).path, f"Still signing in at {page.url}"
        self.check(context="after signing in")

    def submit(self, name: str) -> None:
        """Press the main form's button with this name, and check the page that comes back."""
        self.page.locator("main").get_by_role("button", name=name).click()
        self.check(context=f"after {name!r}")

    def follow(self, name: str) -> None:
        """Follow the link with this name in the page's main content, and check where it leads."""
        self.page.locator("main").get_by_role("link", name=name).first.click()
        self.check(context=f"after following {name!r}")


@pytest.fixture
def site(browser: Browser, live_server: Any) -> Iterator[Site]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Site(page=page, base=live_server.url)
    page.on("framenavigated", lambda frame: tab.visited.append(frame.url) if frame == page.main_frame else None)
    page.on("console", lambda message: tab.console_errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()
    checked = {url.split("#")[0] for url in tab.checked}
    unchecked = sorted(
        {url for url in tab.visited if url.split("#")[0] not in checked and url != "about:blank" and route_name(url)}
    )
    assert not unchecked, f"Pages reached but not checked with axe: {unchecked}"
    assert not tab.console_errors, f"Browser console errors: {tab.console_errors}"
