"""The suite's rule for every email it sends: discreet words (tests/conftest.py and tests/browser/conftest.py).

An email may be read by someone sharing the member's inbox or computer, and membership itself says that someone
was a patient. So no email carries, in its words (subject, text body, HTML alternative): a host name or an email
address, allauth's "Hello from <site>", any member's display name (the recipient's own included), any programme
group's name, or the text of a forum post, topic title or chat message. Links are allowed to carry the address
(they must), so URLs are taken out before the words are read.
"""

import re
from email import message_from_bytes, policy
from urllib.parse import urlsplit

from django.conf import settings

URL = re.compile(r"\b(?:https?|wss?)://[^\s<>\"')]+")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
ALWAYS_HOSTS = ("127.0.0.1", "localhost", "testserver", "example.com", "example.org", "example.net")
# Shorter names and texts match ordinary words ("Ash", "ok thanks"); the factories' names are longer.
MIN_NAME = 3
MIN_TEXT = 12
# An excerpt starts where the text starts: a leak of the opening words counts as much as the whole.
EXCERPT = 30


def _host_words() -> re.Pattern:
    hosts = set(ALWAYS_HOSTS)
    hosts.update(h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*"))
    site_host = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    if site_host:
        hosts.add(site_host)
    alternatives = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


def database_words() -> dict[str, list[str]]:
    """Names and member-written texts that must never be in an email. Needs database access."""
    from chat.models import Message
    from forum.models import Post, Topic
    from members.models import ProgrammeGroup, User

    names = {n.strip() for n in User.objects.values_list("display_name", flat=True)}
    groups = {n.strip() for n in ProgrammeGroup.objects.values_list("name", flat=True)}
    texts = [*Post.objects.values_list("body", flat=True), *Message.objects.values_list("body", flat=True)]
    texts += list(Topic.objects.values_list("title", flat=True))
    return {
        "a member's name": sorted(n for n in names if len(n) >= MIN_NAME),
        "a programme group's name": sorted(n for n in groups if len(n) >= MIN_NAME),
        "member-written text": sorted({_normal(t) for t in texts if len(_normal(t)) >= MIN_TEXT}),
    }


def problems(subject: str, bodies: list[str], words: dict[str, list[str]] | None = None) -> list[str]:
    """What is wrong with one email ([] when it is discreet). `words` from database_words(), when available."""
    found = []
    for part, raw in [("subject", subject), *(("body", b) for b in bodies)]:
        text = URL.sub(" ", raw or "")
        if "hello from" in text.lower():
            found.append(f'{part} says "Hello from" (allauth\'s stock greeting)')
        for match in _host_words().finditer(text):
            found.append(f"{part} names a host in its words: {match.group(0)!r}")
        for match in EMAIL_ADDRESS.finditer(text):
            found.append(f"{part} carries an email address: {match.group(0)!r}")
        if not words:
            continue
        for label in ("a member's name", "a programme group's name"):
            for name in words[label]:
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                    found.append(f"{part} carries {label}: {name!r}")
        normal = _normal(text)
        for written in words["member-written text"]:
            if written in normal or written[:EXCERPT] in normal:
                found.append(f"{part} carries member-written text: {written[:60]!r}")
    return found


def outbox_problems(messages, words=None) -> list[str]:
    """Problems of Django EmailMessage objects (the locmem outbox), each line naming the email."""
    found = []
    for message in messages:
        bodies = [message.body, *(content for content, _ in getattr(message, "alternatives", []) or [])]
        found += [f"email {message.subject!r} to {message.to}: {p}" for p in problems(message.subject, bodies, words)]
    return found


def mail_file_problems(raw_files: list[bytes], words=None) -> list[str]:
    """Problems of the emails the file backend wrote (the browser tests' server): messages split by its rule."""
    found = []
    for raw in raw_files:
        for chunk in re.split(rb"\n-{79}\n", raw):
            if not chunk.strip():
                continue
            message = message_from_bytes(chunk.strip(b"\n"), policy=policy.default)
            subject = str(message.get("Subject", ""))
            bodies = [
                part.get_content()
                for part in message.walk()
                if part.get_content_type() in ("text/plain", "text/html") and not part.is_multipart()
            ]
            found += [f"email {subject!r} to {message.get('To')}: {p}" for p in problems(subject, bodies, words)]
    return found
