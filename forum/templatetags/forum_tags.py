"""Template twins of forum.permissions, so templates show only the buttons that will work."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from forum import permissions

register = template.Library()


@register.filter
def editable_by(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def removable_by(post, user) -> bool:
    return permissions.can_remove_own_post(user, post)


@register.filter
def reportable_by(post, user) -> bool:
    return permissions.can_report_post(user, post)


@register.filter
def history_visible_to(post, user) -> bool:
    return permissions.can_see_history(user, post)


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
