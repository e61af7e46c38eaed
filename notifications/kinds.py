"""Which notices belong together for email, and how often each group is emailed unless a member chose.

Other apps name a notice's `kind` freely ("forum_mention", "sanction" ...). A member chooses how often they
hear by email per group of kinds, not per kind: five plain questions on /me/ rather than a grid. A kind that no
group claims is shown in the app only, never emailed: nobody was asked about it.
"""

from django.db import models
from django.db.models import Q


class KindGroup(models.TextChoices):
    MENTIONS = "mentions", "When someone mentions you"
    REPLIES = "replies", "Replies and new topics where you watch"
    REACTIONS = "reactions", "When members send support to your posts"
    MODERATION = "moderation", "Your reports, moderation decisions and appeals"
    CONNECTIONS = "connections", "Buddies, nudges and support requests"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Right away"
    DAILY = "daily", "Once a day, in one summary"
    WEEKLY = "weekly", "Once a week, in one summary"
    NEVER = "never", "No emails"


# An unsubscribe link may stand for every group at once.
ALL = "all"
DIGEST_PERIODS = (Frequency.DAILY, Frequency.WEEKLY)

# What a member who never opened their settings gets, and why:
DEFAULT_FREQUENCY: dict[str, str] = {
    # Someone turned to them by name; a daily summary brings them back without a stream of emails that an
    # inbox shared with family would show.
    KindGroup.MENTIONS: Frequency.DAILY,
    # Conversations they chose to follow; the same gentle daily rhythm.
    KindGroup.REPLIES: Frequency.DAILY,
    # Kind, but never urgent, and a count of reactions by email would turn support into a score to check.
    KindGroup.REACTIONS: Frequency.NEVER,
    # About their own account: a sanction or an appeal decision may have a time limit to act on.
    KindGroup.MODERATION: Frequency.IMMEDIATELY,
    # A buddy or a member asking for support is waiting on a person; a day later may be too late.
    KindGroup.CONNECTIONS: Frequency.IMMEDIATELY,
}

# Under each question on the preferences form.
GROUP_HINTS: dict[str, str] = {
    KindGroup.MENTIONS: "Someone wrote your name in a post or a chat room.",
    KindGroup.REPLIES: "New posts in topics you watch, and new topics in categories you watch.",
    KindGroup.REACTIONS: "Members pressed a support button on something you wrote.",
    KindGroup.MODERATION: "Outcomes of your reports, decisions about your posts or account, and your appeals.",
    KindGroup.CONNECTIONS: "Buddy requests, nudges from your buddy and requests for support.",
}

# Words for "emails about ..." on the unsubscribe pages.
GROUP_TOPICS: dict[str, str] = {
    KindGroup.MENTIONS: "mentions of you",
    KindGroup.REPLIES: "replies and new topics you watch",
    KindGroup.REACTIONS: "support sent to your posts",
    KindGroup.MODERATION: "your reports, moderation decisions and appeals",
    KindGroup.CONNECTIONS: "buddies, nudges and support requests",
    ALL: "activity here",
}

KIND_GROUPS: dict[str, str] = {
    "forum_mention": KindGroup.MENTIONS,
    "chat_mention": KindGroup.MENTIONS,
    "forum_reply": KindGroup.REPLIES,  # replies in watched topics and new topics in watched categories
    "forum_reaction": KindGroup.REACTIONS,
    "report_reviewed": KindGroup.MODERATION,
    "content_moderated": KindGroup.MODERATION,
    "sanction": KindGroup.MODERATION,
    "sanction_lifted": KindGroup.MODERATION,
    "appeal_decided": KindGroup.MODERATION,
}
# Families named by shape, so that an app adding a kind of the family needs no change here.
KIND_PREFIXES: dict[str, str] = {"connections_": KindGroup.CONNECTIONS, "moderation_": KindGroup.MODERATION}
KIND_SUFFIXES: dict[str, str] = {"_mention": KindGroup.MENTIONS, "_reaction": KindGroup.REACTIONS}


def group_for_kind(kind: str) -> str | None:
    """The email group of a notice kind, or None: shown in the app only."""
    if kind in KIND_GROUPS:
        return KIND_GROUPS[kind]
    for prefix, group in KIND_PREFIXES.items():
        if kind.startswith(prefix):
            return group
    for suffix, group in KIND_SUFFIXES.items():
        if kind.endswith(suffix):
            return group
    return None


def kinds_q(groups) -> Q:
    """A filter on Notification.kind matching the kinds of any of `groups`, by the same rules, in the same order,
    as group_for_kind: a named kind first, then a prefix, then a suffix."""
    groups = set(groups)
    q = Q(pk__in=[])
    named = Q(kind__in=list(KIND_GROUPS))
    prefixed = Q(pk__in=[])
    for prefix in KIND_PREFIXES:
        prefixed |= Q(kind__startswith=prefix)
    explicit = [kind for kind, group in KIND_GROUPS.items() if group in groups]
    if explicit:
        q |= Q(kind__in=explicit)
    for prefix, group in KIND_PREFIXES.items():
        if group in groups:
            q |= Q(kind__startswith=prefix) & ~named
    for suffix, group in KIND_SUFFIXES.items():
        if group in groups:
            q |= Q(kind__endswith=suffix) & ~named & ~prefixed
    return q


def is_grouped_kind(kind: str) -> bool:
    """Kinds shown as one notice per target that counts members (reactions), not one notice per member."""
    return group_for_kind(kind) == KindGroup.REACTIONS
