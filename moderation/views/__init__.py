"""The team's moderation pages (/moderation/), split by concern."""

from .audit import audit_log, audit_log_csv
from .members import appeal_detail, appeals, member_detail
from .queue import item_detail, queue
from .watched_words import watched_word_active, watched_word_edit, watched_words

__all__ = [
    "appeal_detail",
    "appeals",
    "audit_log",
    "audit_log_csv",
    "item_detail",
    "member_detail",
    "queue",
    "watched_word_active",
    "watched_word_edit",
    "watched_words",
]
