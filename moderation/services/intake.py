"""What feature apps call when a member writes: one screening rule for every place (DESIGN.md, Safety).

    decision = screen_writing(author=user, text=body, first_posts=True)   # raises TextBlocked
    ... store the content, held if decision.hold ...
    after_publish(kind="post", target=post, decision=decision)          # same transaction

Screening itself (moderation.screening) is compiled once and costs no query per word.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from audit.models import AuditAction
from audit.services import record_audit

from .. import adapters, screening
from ..models import ReviewItem
from .items import open_item_for


class TextBlocked(Exception):
    """The text matched a `block` entry; `str()` is the reason to show the writer."""


@dataclass(frozen=True)
class Decision:
    result: screening.ScreenResult
    # Publish only after review: a `hold` entry, a new member's first posts, or crisis language when
    # MODERATION_HOLD_CRISIS is on. Moderators' own writing is never held.
    hold: bool = False
    new_member: bool = False

    @property
    def crisis(self) -> bool:
        return self.result.crisis

    @property
    def queue(self) -> bool:
        """Whether a review item opens for the content."""
        return self.hold or self.crisis or bool(self.result.matches)

    @property
    def source(self) -> str:
        if self.crisis:
            return ReviewItem.Source.CRISIS
        if self.result.matches:
            return ReviewItem.Source.SCREENING
        return ReviewItem.Source.NEW_MEMBER

    def note_for_team(self) -> str:
        lines = [f"{m.action}: {m.label or m.pattern}" for m in self.result.matches]
        if self.new_member:
            lines.append(f"new member: one of their first {settings.MODERATION_NEW_MEMBER_HOLD_POSTS} posts")
        return "\n".join(lines)


CLEAR = Decision(result=screening.CLEAR)


def screen_writing(*, author, text: str, first_posts: bool = False) -> Decision:
    """Screen what a member is about to publish. Raises TextBlocked with the reason for a `block` match.

    `first_posts`: the caller says this is one of the author's first posts (it counts its own content), so it is
    held for review (MODERATION_NEW_MEMBER_HOLD_POSTS, 0 turns it off).
    """
    result = screening.screen_text(text)
    # A cry for help is never simply refused: text that is both blocked and crisis language is kept, held for a
    # moderator (who sees it in full), and the writer is met with help like any other crisis text.
    blocked_crisis = result.blocked and result.crisis
    if result.blocked and not blocked_crisis:
        raise TextBlocked(result.block_reason)
    moderator = getattr(author, "is_moderator", False)
    new_member = bool(first_posts and settings.MODERATION_NEW_MEMBER_HOLD_POSTS and not moderator)
    hold = blocked_crisis or (
        not moderator and (result.held or new_member or (result.crisis and settings.MODERATION_HOLD_CRISIS))
    )
    if not result.matches and not hold:
        return CLEAR
    return Decision(result=result, hold=bool(hold), new_member=new_member)


def screen_name(text: str) -> str | None:
    """For display names and other short labels: the reason to refuse it, or None. Names are never held:
    a hold or flag entry refuses them too, since a name is shown everywhere at once."""
    result = screening.screen_text(text)
    if result.blocked:
        return result.block_reason
    if result.matches and not result.crisis:
        return "Please choose a different name: this one needs a moderator's look before it can be used here."
    return None


def after_publish(*, kind: str, target, decision: Decision) -> ReviewItem | None:
    """Open the review item screening asked for, inside the transaction that stored `target`. Crisis makes it
    urgent (on-call staff are emailed after commit). Returns the item, or None when nothing was queued."""
    if not decision.queue:
        return None
    adapter = adapters.get_adapter(kind)
    with transaction.atomic():
        item = open_item_for(
            adapter=adapter,
            target=target,
            source=decision.source,
            urgent=decision.crisis,
            screening_note=decision.note_for_team(),
            hidden_pending_review=decision.hold,
        )
        if decision.hold:
            record_audit(actor=None, action=AuditAction.HOLD_FOR_REVIEW, target=item, reason=decision.note_for_team())
    return item
