"""Post bodies to stored HTML, with @mentions resolved against who may see the topic.

Mention syntax (also explained next to the composer): `@Sam_R` names the member "Sam R" -- spaces are written
as underscores and case does not matter -- and `@[Sam R]` names them exactly as shown. A name that matches no
member who can see the topic stays plain text: it links nothing and notifies no one.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import strip_tags

from community.markup import render_markdown
from members.audience import in_audience
from members.models import User

MAX_MENTIONS = 20
_BRACKETED = r"@\[(?P<exact>[A-Za-z0-9][A-Za-z0-9 ._-]{1,28}[A-Za-z0-9])\]"
# Not after a word character, so that email addresses (sam@example.com) are not mentions.
_BARE = r"(?<![\w@/\[])@(?P<bare>[A-Za-z0-9](?:[A-Za-z0-9._-]{0,28}[A-Za-z0-9])?)"
MENTION = re.compile(f"{_BRACKETED}|{_BARE}")
# Code is left alone: a mention inside backticks is an example, not a call.
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|blockquote|pre|hr)\b[^>]*>", re.IGNORECASE)


@dataclass
class Rendered:
    html: str
    mentioned: list[User] = field(default_factory=list)


def _candidates(match: re.Match) -> list[str]:
    if match.group("exact"):
        return [" ".join(match.group("exact").split()).lower()]
    name = match.group("bare").lower()
    return [name, name.replace("_", " ")]


def _find_mentions(text: str) -> list[re.Match]:
    found = []
    for i, segment in enumerate(CODE.split(text)):
        if i % 2 == 0:
            found.extend(MENTION.finditer(segment))
    return found


def resolve_mentions(text: str, category) -> dict[str, User]:
    """Lower-cased names as written -> members who may see `category` (one query plus audience checks)."""
    matches = _find_mentions(text)[: MAX_MENTIONS * 2]
    wanted = {c for m in matches for c in _candidates(m)}
    if not wanted:
        return {}
    users = (
        User.objects.annotate(lname=Lower("display_name"))
        .filter(lname__in=wanted, is_active=True, approved_at__isnull=False, email_verified=True)
        .prefetch_related("groups")
    )
    by_name = {}
    for user in users[: MAX_MENTIONS * 2]:
        if in_audience(user, category):
            by_name[user.lname] = user
    return by_name


def render_post(text: str, category) -> Rendered:
    """Markdown to sanitised HTML; mentions of members who can see the category become links."""
    members = resolve_mentions(text, category)
    mentioned: dict[int, User] = {}

    def link(match: re.Match) -> str:
        for candidate in _candidates(match):
            user = members.get(candidate)
            if user is not None:
                if len(mentioned) < MAX_MENTIONS:
                    mentioned[user.pk] = user
                # Display names hold only letters, digits, spaces, dots, dashes and underscores; the
                # underscore is escaped so that Markdown does not read it as emphasis.
                label = user.display_name.replace("_", "\\_")
                return f"[@{label}]({reverse('forum:member', args=[user.pk])})"
        return match.group(0)

    parts = CODE.split(text)
    source = "".join(MENTION.sub(link, part) if i % 2 == 0 else part for i, part in enumerate(parts))
    return Rendered(html=render_markdown(source), mentioned=list(mentioned.values()))


def html_to_text(html: str) -> str:
    """The words of stored (already sanitised) HTML, for snippets; the caller escapes them again."""
    spaced = BLOCK_TAG.sub(" ", html)  # paragraphs and list items must not run together; inline tags may
    return " ".join(unescape(strip_tags(spaced)).split())
