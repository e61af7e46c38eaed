"""`{% load connections %}{% buddy_actions member %}`: the buddy and private-message buttons for a profile page."""

from django import template

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("connections/includes/buddy_button.html", takes_context=True)
def buddy_actions(context, member):
    user = context["request"].user
    with selectors.remembering(user):
        state = selectors.buddy_state(user, member) if permissions.can_reach(user, member) else "none"
        return {
            "member": member,
            "state": state,
            "can_ask": state == "" and permissions.can_ask_buddy(user, member),
            "can_message": state != "self" and permissions.can_start_conversation(user, member),
            "csrf_token": context.get("csrf_token"),
        }
