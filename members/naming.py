"""A hook through which display names are screened by moderation's watched words.

Members must not import moderation (moderation uses members: the import would make a loop), so moderation
registers its screening here at start-up, in ModerationConfig.ready():

    naming.register_name_screen(services.screen_name)

Every place a display name is chosen or changed calls `name_problem` (through validators.clean_display_name).
"""

from collections.abc import Callable

NameScreen = Callable[[str], "str | None"]

_screens: list[NameScreen] = []


def register_name_screen(screen: NameScreen) -> None:
    """Add a screen: a function of the name that returns the reason to refuse it, or None. Registering the same
    function again changes nothing (ready() may run more than once under autoreload and in tests)."""
    if screen not in _screens:
        _screens.append(screen)


def unregister_name_screen(screen: NameScreen) -> None:
    if screen in _screens:
        _screens.remove(screen)


def name_problem(text: str) -> str | None:
    """The first screen's reason to refuse `text` as a display name, or None when every screen lets it pass."""
    for screen in _screens:
        reason = screen(text)
        if reason:
            return reason
    return None
