"""The community's name for emails rendered outside a request (Wagtail's workflow notifications)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def community_name() -> str:
    return settings.COMMUNITY_NAME
