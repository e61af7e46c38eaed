"""@mentions in chat, with the same syntax as the forum so that members learn one rule.

`@Sam_R` names the member "Sam R" (spaces written as underscores, any case); `@[Sam R]` names them exactly.
Only members who may enter the room are mentioned; any other name stays plain text and notifies no one.
Kept here rather than shared because community/markup.py has no mention helper (the forum keeps its own).
"""

import re
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from community.markup import render_markdown
from members.audience import in_audience
from members.models import User

MAX_MENTIONS = 10
_BRACKETED = r"@\[(?P<exact>[A-Za-z0-9][A-Za-z0-9 ._-]{1,28}[A-Za-z0-9])\]"
# Not after a word character, so that email addresses (sam@example.com) are not mentions.
_BARE = r"(?<![\w@/\[])@(?P<bare>[A-Za-z0-9](?:[A-Za-z0-9._-]{0,28}[A-Za-z0-9])?)"
MENTION = re.compile(f"{_BRACKETED}|{_BARE}")
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


@dataclass
class Rendered:
    html: str
    mentioned: list[User] = field(default_factory=list)


def _candidates(match: re.Match) -> list[str]:
    if match.group("exact"):
        return [" ".join(match.group("exact").split()).lower()]
    name = match.group("bare").lower()
    return [name, name.replace("_", " ")]


def _outside_code(text: str):
    return ((i % 2 == 0, part) for i, part in enumerate(CODE.split(text)))


def _members_named(text: str, room) -> dict[str, User]:
    if "@" not in text:
        return {}
    wanted = {c for plain, part in _outside_code(text) if plain for m in MENTION.finditer(part) for c in _candidates(m)}
    if not wanted:
        return {}
    users = (
        User.objects.annotate(lname=Lower("display_name"))
        .filter(
            lname__in=list(wanted)[: MAX_MENTIONS * 4], is_active=True, approved_at__isnull=False, email_verified=True
        )
        .prefetch_related("groups")[: MAX_MENTIONS * 2]
    )
    return {user.lname: user for user in users if in_audience(user, room)}


def render_message(text: str, room) -> Rendered:
    """Markdown to sanitised HTML; mentions of members who may enter the room are emphasised and returned."""
    members = _members_named(text, room)
    mentioned: dict[int, User] = {}

    def mark(match: re.Match) -> str:
        for candidate in _candidates(match):
            user = members.get(candidate)
            if user is not None:
                if len(mentioned) < MAX_MENTIONS:
                    mentioned[user.pk] = user
                return "**@" + user.display_name.replace("_", "\\_") + "**"
        return match.group(0)

    source = "".join(MENTION.sub(mark, part) if plain else part for plain, part in _outside_code(text))
    return Rendered(html=render_markdown(source), mentioned=list(mentioned.values()))
