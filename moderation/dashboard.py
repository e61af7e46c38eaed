"""Panels other apps add to the moderators' dashboard (the review queue page), without moderation importing them.

An app registers, from its AppConfig.ready(), a template and a function that gives the template its context for
the viewing moderator, or None to leave the panel out for them (staff-only figures, say):

    register_panel("connections/includes/support_panel.html", support_response_panel)

Registering the same template again replaces the panel (autoreload), never doubles it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContextFn = Callable[[Any], dict | None]

_panels: dict[str, ContextFn] = {}


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: dict


def register_panel(template_name: str, context_fn: ContextFn) -> None:
    """`context_fn(user)` returns the panel's context for that moderator, or None to show them nothing."""
    _panels[template_name] = context_fn


def panels_for(user) -> list[Panel]:
    """The panels this moderator sees, in the order they were registered."""
    shown = []
    for template_name, context_fn in _panels.items():
        context = context_fn(user)
        if context is not None:
            shown.append(Panel(template_name=template_name, context=context))
    return shown
