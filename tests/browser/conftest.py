"""Browser tests: Playwright drives Debian's Chromium against a real Daphne process on the test database.

Run on their own (`pytest -m browser -p no:asyncio`): Playwright's sync API and async tests do not mix in one run.
Without Chromium they skip with the reason, unless REQUIRE_BROWSER=1, which makes them fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests import email_guard
from tests.servers import DaphneServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing_reason() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """SQLite's test database must be a file, so that the server process sees what the test writes."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        ARTIFACTS.mkdir(exist_ok=True)
        # One file per run, so that two browser runs on one machine do not write into each other's database.
        path = ARTIFACTS / f"browser-test-{os.getpid()}.sqlite3"
        # WAL mode (the settings) keeps two files beside the database; a stale log would be replayed into it.
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(path)


class LiveServer(DaphneServer):
    """The site on the test database, with mail written to files the test reads and static files served."""

    def __init__(self):
        self.mail_dir = ARTIFACTS / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(
            log=ARTIFACTS / "browser-server.log",
            env={"TEST_EMAIL_DIR": str(self.mail_dir), "TEST_SERVE_STATIC": "1"},
        )
        # pytest-django's autouse helper enables this on whatever fixture is named `live_server`.
        self._live_server_modified_settings = override_settings()

    def clear_mail(self) -> None:
        for f in self.mail_dir.glob("*"):
            f.unlink()

    def mail(self) -> list[str]:
        return [f.read_text() for f in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)]


@pytest.fixture(scope="session")
def _server_process(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_server(_server_process, transactional_db, django_db_serialized_rollback):
    # Serialized rollback puts content types back with their first ids after each test's flush. Otherwise they
    # come back with new ids, and the long-lived server, which caches them (Wagtail's search index of posts),
    # fails the next test's first post with "FOREIGN KEY constraint failed".
    _server_process.clear_mail()
    if not _server_process.running:
        _server_process.start()
    yield _server_process
    # The server's emails are held to the suite's rule too (tests/email_guard.py), before the database is emptied.
    found = email_guard.mail_file_problems(
        [f.read_bytes() for f in _server_process.mail_dir.glob("*.log")], email_guard.database_words()
    )
    if found:
        pytest.fail("An email is not discreet:\n" + "\n".join(found), pytrace=False)


@pytest.fixture(scope="session")
def _browser():
    reason = _browser_missing_reason()
    if reason is not None:
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser tests skipped: {reason}. Install it with `sudo apt-get install chromium` (Debian/Ubuntu)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # only here: Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(_browser, live_server):
    """Open a page in a fresh browser context (its own cookies): `new_page()` or `new_page(phone=True)`."""
    contexts = []

    def make(phone: bool = False):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = _browser.new_context(
            base_url=live_server.url, viewport=viewport, is_mobile=phone, has_touch=phone, device_scale_factor=1
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
