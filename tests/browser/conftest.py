"""Browser journeys: Debian's Chromium driven by Playwright against a live server.

The live server is ``werkzeug.serving.make_server`` in a daemon thread, on its OWN freshly
migrated database (a temporary SQLite file, or CASEWORK_TEST_DATABASE_URL when set) filled with
the ``small`` demo profile, so journeys sign in as the README's demo users. Nothing here runs
``playwright install``: Chromium is /usr/bin/chromium (``make browser-deps``).

axe-core (static/vendor/axe/axe.min.js, pinned by npm) runs on EVERY page a test loads: the
``ui`` helper checks after each navigation, and a page load that escaped the check fails the test.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page
from werkzeug.serving import make_server

from casework.alerts.sweep import send_due_alerts
from casework.core import clock
from casework.demo import loader, profiles
from casework.demo.users import DEMO_PASSWORD
from casework.extensions import db
from tests.conftest import _database_url, make_app, migrate, reset_database

CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

LAWYER = "lawyer@casework.example"
ADMIN = "admin@casework.example"
OFFENDER_MANAGER = "offender.manager@casework.example"
ANALYST = "analyst@casework.example"


logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise here


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def live_app() -> Iterator[Flask]:
    """The app on its own database: migrated, the small demo loaded and today's alerts swept
    (what `make run` does), so journeys sign in as the README's demo users."""
    with tempfile.TemporaryDirectory(prefix="casework-browser-") as tmp:
        url = _database_url(Path(tmp), "browser")
        reset_database(url)
        app = make_app(url, WTF_CSRF_ENABLED=True)
        migrate(app)
        with app.app_context():
            loader.load(profiles.SMALL, seed=1)
            db.session.commit()
            send_due_alerts(trigger="demo", send_email=False)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def build(live_app: Flask) -> Callable[..., Any]:
    """Run a function against the live server's database (through the services) and commit."""

    def _build(func: Callable[..., Any], **kwargs: Any) -> Any:
        with live_app.app_context():
            result = func(**kwargs)
            db.session.commit()
            return result

    return _build


@pytest.fixture
def sweep(live_app: Flask) -> Callable[[], Any]:
    """Today's alerts sweep, as the scheduler runs it."""

    def _sweep() -> Any:
        with live_app.app_context():
            return send_due_alerts(trigger="test", send_email=False)

    return _sweep


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright resolves relative ``page.goto`` paths against this."""
    return live_server


def axe_violations(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Loaded from the app's own static folder: the strict CSP (script-src 'self') allows it,
        # so the check needs no CSP bypass that could hide a real CSP problem.
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for v in violations:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(f"  - {v['id']} [{v.get('impact')}]: {v['help']}\n      at {targets}{more}\n"
                     f"      {v['helpUrl']}")
    return "\n".join(lines)


class UI:
    """Drives one page; every page load is checked with axe-core before the test goes on."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.loads = 0
        self.checked = 0
        self.unchecked: list[str] = []
        self.pages_checked: list[str] = []
        page.on("load", self._on_load)

    def _on_load(self, _: Any) -> None:
        if self.loads > self.checked:
            self.unchecked.append(self._last_url)
        self.loads += 1
        self._last_url = self.page.url

    _last_url = ""

    def check(self) -> None:
        """Run axe on the page now shown; fail with a readable list of violations."""
        self.page.wait_for_load_state("load")
        self.checked = self.loads
        violations = axe_violations(self.page)
        self.pages_checked.append(self.page.url)
        assert not violations, describe_violations(self.page.url, violations)

    def goto(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def click(self, target: Locator) -> Page:
        """Click something that loads a new page (a link or a form's submit button)."""
        with self.page.expect_navigation():
            target.click()
        self.check()
        return self.page

    def press(self, target: Locator, key: str) -> Page:
        with self.page.expect_navigation():
            target.press(key)
        self.check()
        return self.page

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> Page:
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        return self.click(self.page.get_by_role("button", name="Sign in"))

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).first.inner_text().strip()

    def verify_all_checked(self) -> None:
        if self.loads > self.checked:
            self.unchecked.append(self.page.url)
        assert not self.unchecked, (
            "Pages were loaded without an axe-core check (use ui.goto/ui.click/ui.check): "
            + ", ".join(self.unchecked))


@pytest.fixture
def ui(page: Page, live_server: str) -> Iterator[UI]:
    page.set_default_timeout(10_000)
    helper = UI(page, live_server)
    yield helper
    helper.verify_all_checked()


@pytest.fixture
def today() -> Any:
    return clock.today()


def text_of(locator: Locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()
