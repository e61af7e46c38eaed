"""Stored post HTML as plain words, for excerpts (bookmarks)."""

from django import template

from forum.markup import html_to_text

register = template.Library()


@register.filter
def as_text(html: str) -> str:
    """The words of sanitised HTML with entities decoded; autoescape then escapes them exactly once.

    `striptags` alone keeps the entities (`&amp;`), which autoescape would escape a second time.
    """
    return html_to_text(html or "")
