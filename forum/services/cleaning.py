"""Checks on what members type (titles, bodies, content warnings), shared by posting and moderation."""

from members.text import clean_member_text

from ..models import BODY_MAX, CW_MAX, TITLE_MAX
from .errors import ForumError


def _clean_title(title: str) -> str:
    title = " ".join(clean_member_text(title).split())
    if not title:
        raise ForumError("Please give your topic a title.")
    if len(title) > TITLE_MAX:
        raise ForumError(f"Please keep the title to {TITLE_MAX} characters or fewer (it has {len(title)}).")
    return title


def _clean_body(body: str) -> str:
    body = clean_member_text(body).strip()
    if not body:
        raise ForumError("Please write something before posting.")
    if len(body) > BODY_MAX:
        raise ForumError(f"Please keep a post to {BODY_MAX:,} characters or fewer (it has {len(body):,}).")
    return body


def _clean_cw(content_warning: str) -> str:
    content_warning = " ".join(clean_member_text(content_warning).split())
    if len(content_warning) > CW_MAX:
        raise ForumError(f"Please keep the content warning to {CW_MAX} characters or fewer.")
    return content_warning
