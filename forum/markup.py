"""Post bodies to stored HTML, with @mentions (syntax in members.mentions, explained next to the composer)
linked to the member's page when they can see the topic."""

import re
from html import unescape

from django.urls import reverse
from django.utils.html import strip_tags

from members.mentions import Rendered, markdown_name, render_with_mentions

MAX_MENTIONS = 20
BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|blockquote|pre|hr)\b[^>]*>", re.IGNORECASE)


def render_post(text: str, category) -> Rendered:
    """Markdown to sanitised HTML; mentions of members who can see the category link to their page."""
    return render_with_mentions(
        text,
        category,
        show=lambda user: f"[@{markdown_name(user)}]({reverse('forum:member', args=[user.pk])})",
        limit=MAX_MENTIONS,
    )


def html_to_text(html: str) -> str:
    """The words of stored (already sanitised) HTML, for snippets; the caller escapes them again."""
    spaced = BLOCK_TAG.sub(" ", html)  # paragraphs and list items must not run together; inline tags may
    return " ".join(unescape(strip_tags(spaced)).split())
