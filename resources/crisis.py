"""The crisis lines: read from the one place staff edit them (the published crisis page), for every page.

The short line at the foot of every page, the composers, chat, the /help/ page and the error pages all call
`current_crisis_lines()`. It is cached (every page shows it, so it must cost no query once warm) and the cache is
dropped whenever the crisis page is published or unpublished (resources.signals). When there is no published
crisis page, or the database cannot answer (an error page), the lines below are shown: a crisis line must never
be missing. They are also what a new installation's crisis page starts with (migration 0003, resources.demo).
"""

from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import DatabaseError, transaction

CACHE_KEY = "resources:crisis-lines:1"
# A safety net only: publishing drops the cache at once. A change made behind Wagtail's back (a raw update) still
# shows within the hour.
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class CrisisLine:
    name: str
    short_name: str
    phone: str
    can_text: bool = False
    chat_url: str = ""
    description: str = ""
    on_every_page: bool = True

    @property
    def tel(self) -> str:
        """The number for a tel: link (digits and a leading +)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return ("+" + digits) if self.phone.strip().startswith("+") else digits

    @property
    def chat_label(self) -> str:
        """The chat address as words to type, not a link: the /help/ page links to no other host (a visitor's
        browser should not tell another site where it came from), and a phone number is what matters most."""
        return self.chat_url.split("://", 1)[-1].rstrip("/")

    @property
    def how(self) -> str:
        return "Call or text" if self.can_text else "Call"


DEFAULT_CRISIS_LINES = (
    CrisisLine(
        name="988 Suicide & Crisis Lifeline",
        short_name="988 Lifeline",
        phone="988",
        can_text=True,
        chat_url="https://988lifeline.org/chat/",
        description=(
            "Free and confidential, 24 hours a day, 7 days a week. Call or text 988, or chat online, if you are "
            "thinking about suicide, are worried about someone, or are in any kind of emotional or substance use "
            "crisis. A trained counsellor will listen."
        ),
    ),
    CrisisLine(
        name="SAMHSA National Helpline",
        short_name="SAMHSA Helpline",
        phone="1-800-662-4357",
        description=(
            "Free, confidential treatment referral and information about substance use and mental health, 24 hours "
            "a day, 365 days a year, in English and Spanish."
        ),
    ),
    CrisisLine(
        name="Emergency services",
        short_name="Emergency",
        phone="911",
        description="If your life or someone else's is in immediate danger, or someone has taken too much of "
        "something, call 911.",
    ),
)


def default_lines_stream_data() -> list[dict]:
    """The default lines as the crisis page's `lines` StreamField data."""
    return [{"type": "line", "value": asdict(line)} for line in DEFAULT_CRISIS_LINES]


def _lines_from_page() -> list[CrisisLine] | None:
    from .models import CrisisPage  # local: models import this module's defaults

    page = CrisisPage.objects.live().order_by("pk").first()
    if page is None:
        return None
    lines = [CrisisLine(**{k: v for k, v in block.value.items()}) for block in page.lines if block.block_type == "line"]
    return lines or None


def current_crisis_lines() -> list[CrisisLine]:
    """The crisis lines as staff last published them (the defaults if there is no published crisis page)."""
    try:
        cached = cache.get(CACHE_KEY)
    except Exception:  # noqa: BLE001 - Redis away: read the page instead; the lines must show
        cached = None
    if cached is not None:
        return [CrisisLine(**row) for row in cached]
    try:
        lines = _lines_from_page()
    except DatabaseError:
        # An error page while the database is down must still show the lines. Nothing is cached then.
        return list(DEFAULT_CRISIS_LINES)
    lines = lines or list(DEFAULT_CRISIS_LINES)
    try:
        cache.set(CACHE_KEY, [asdict(line) for line in lines], CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return lines


def forget_crisis_lines() -> None:
    """Drop the cached lines now and again after the publishing transaction commits (so that no request in
    between caches the old ones for an hour)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
