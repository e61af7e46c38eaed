"""`{% load crisis %}`: the crisis lines as staff published them (resources.crisis), for any template.

A tag rather than a context processor, so that templates rendered without a request (chat's private crisis
note, emails) get the same lines.
"""

from django import template

from resources.crisis import current_crisis_lines

register = template.Library()


@register.simple_tag
def crisis_lines(*, every_page_only: bool = False):
    """`{% crisis_lines as lines %}`; `every_page_only=True` for the short line (the ones staff marked for it)."""
    lines = current_crisis_lines()
    return [line for line in lines if line.on_every_page] if every_page_only else lines


@register.inclusion_tag("resources/includes/crisis_short.html")
def crisis_short_line():
    """The one-line list ("988 Lifeline: call or text 988 · ...") for the page footer, composers and chat."""
    return {"lines": crisis_lines(every_page_only=True)}


@register.inclusion_tag("resources/includes/crisis_list.html")
def crisis_list(*, with_descriptions: bool = True, heading_level: int = 0):
    """The lines as a list, with what each is for (the /help/ page, chat's private crisis note)."""
    return {"lines": current_crisis_lines(), "with_descriptions": with_descriptions, "heading_level": heading_level}
