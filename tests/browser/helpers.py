from pathlib import Path

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe

# Written to an ignored folder, so that a test run leaves the clone clean; `make screenshots` refreshes the README's.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


def totp_code(secret: str) -> str:
    """The current code, never one about to expire: allauth accepts only the current 30-second window
    (no tolerance), so a code typed in its last seconds can arrive stale and the sign-in stays put."""
    import time

    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, live_server, user, password: str = PASSWORD, totp_secret: str | None = None) -> None:
    """Sign in through the real form (and the authenticator step when the account has one)."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        page.get_by_label("Authenticator code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url and "/2fa/authenticate" not in url)


def assert_accessible(page) -> None:
    """axe-core's WCAG 2.2 A/AA rules: no violation allowed."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def screenshot(page, name: str) -> Path:
    """Save a screenshot (test-artifacts/screenshots/<name>.png; `make screenshots` copies them to docs/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
