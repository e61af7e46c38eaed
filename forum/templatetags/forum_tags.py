"""Template twins of forum.permissions, so templates show only the buttons that will work."""

from django import template

from forum import permissions

register = template.Library()


@register.filter
def editable_by(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def removable_by(post, user) -> bool:
    return permissions.can_remove_own_post(user, post)


@register.filter
def history_visible_to(post, user) -> bool:
    return permissions.can_see_history(user, post)


@register.inclusion_tag("forum/includes/crisis_note.html")
def composer_crisis_note():
    return {}
