"""@mentions of members, one syntax for the forum and chat so that members learn one rule.

`@Sam_R` names the member "Sam R" (spaces written as underscores, any case); `@[Sam R]` names them exactly.
Only approved members who may see the space (a forum category, a chat room) are mentioned; any other name stays
plain text and notifies no one. Mentions inside code are examples, not calls, and are left alone.

Rendering and telling are apart: a mention always reads as one, and `mentions_that_notify` decides (when the
notices are made) who of the mentioned hears of it, by each member's choice of who may mention them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from members.markup import render_markdown

from .audience import in_audience
from .models import MentionPolicy, User

_BRACKETED = r"@\[(?P<exact>[A-Za-z0-9][A-Za-z0-9 ._-]{1,28}[A-Za-z0-9])\]"
# Not after a word character, so that email addresses (sam@example.com) are not mentions.
_BARE = r"(?<![\w@/\[])@(?P<bare>[A-Za-z0-9](?:[A-Za-z0-9._-]{0,28}[A-Za-z0-9])?)"
MENTION = re.compile(f"{_BRACKETED}|{_BARE}")
# Fenced blocks (``` or ~~~) and inline code spans.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)


@dataclass
class Rendered:
    html: str
    mentioned: list[User] = field(default_factory=list)


def markdown_name(user: User) -> str:
    """The display name for Markdown source: display names hold letters, digits, spaces, dots, dashes and
    underscores. Our renderer never reads underscores as emphasis (members.markup); they are escaped all the
    same, so that a name reads back whole under any Markdown rules."""
    return user.display_name.replace("_", "\\_")


def _candidates(match: re.Match) -> list[str]:
    if match.group("exact"):
        return [" ".join(match.group("exact").split()).lower()]
    name = match.group("bare").lower()
    return [name, name.replace("_", " ")]


def _outside_code(text: str):
    return ((i % 2 == 0, part) for i, part in enumerate(CODE.split(text)))


def _members_named(text: str, space, limit: int) -> dict[str, User]:
    """Lower-cased names as written -> members who may see `space` (one query, then audience checks)."""
    if "@" not in text:
        return {}
    wanted = {c for plain, part in _outside_code(text) if plain for m in MENTION.finditer(part) for c in _candidates(m)}
    if not wanted:
        return {}
    users = (
        User.objects.annotate(lname=Lower("display_name"))
        .filter(lname__in=sorted(wanted)[: limit * 4], is_active=True, approved_at__isnull=False, email_verified=True)
        .prefetch_related("groups")[: limit * 2]
    )
    return {user.lname: user for user in users if in_audience(user, space)}


def render_with_mentions(text: str, space, *, show: Callable[[User], str], limit: int) -> Rendered:
    """Markdown to sanitised HTML, each mention of a member who may see `space` replaced by `show(member)`
    (Markdown source); returns the mentioned members, at most `limit`."""
    members = _members_named(text, space, limit)
    mentioned: dict[int, User] = {}

    def replace(match: re.Match) -> str:
        for candidate in _candidates(match):
            user = members.get(candidate)
            if user is not None:
                if len(mentioned) < limit:
                    mentioned[user.pk] = user
                return show(user)
        return match.group(0)

    source = "".join(MENTION.sub(replace, part) if plain else part for plain, part in _outside_code(text))
    return Rendered(html=render_markdown(source), mentioned=list(mentioned.values()))


def mentions_that_notify(*, author, users) -> list[User]:
    """Of the members `author` mentioned, those the mention may notify (one rule for the forum and chat).

    A member whose choice of who may mention them (User.mention_policy) is "Nobody (moderators still can)" hears
    of a mention only from a moderator, who must still be able to reach them; the mention still reads as one
    on the page. The author is never told of their own mention. Blocks are not decided here: the caller
    filters them (members.blocking) with its other checks. No query, except the author's roles when someone
    mentioned chose "nobody" (read once and kept on the author).
    """
    users = [user for user in users if user.pk != author.pk]
    if any(user.mention_policy == MentionPolicy.NOBODY for user in users) and not author.is_moderator:
        users = [user for user in users if user.mention_policy != MentionPolicy.NOBODY]
    return users
