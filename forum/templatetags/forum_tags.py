"""The forum's template tags: the composer's crisis note, "5 minutes ago", and a post's reactions for htmx."""

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from forum.fragments import reactions_html

register = template.Library()


@register.inclusion_tag("forum/includes/crisis_note.html")
def composer_crisis_note():
    return {}


@register.filter
def ago(moment) -> str:
    """ "just now", or "5 minutes ago": "0 minutes ago" reads like a glitch."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"


@register.simple_tag(takes_context=True)
def reactions(context, post) -> SafeString:
    """A post's reactions, as the topic page writes them (forum.fragments.reactions_html), for the part htmx swaps
    in after a reaction. Needs `here` (the page's address) and `csrf_input` in the context."""
    return mark_safe(
        reactions_html(
            post,
            read_only=context["user"].is_read_only,
            here=escape(context["here"]),
            csrf_input=str(context["csrf_input"]),
        )
    )
