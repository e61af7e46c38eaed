"""What every moderation page shares: the sub-navigation's counts and how a refused action is shown."""

from django.core.exceptions import ValidationError

from .. import selectors


def team_context(request, context: dict) -> dict:
    """What the moderation pages' own navigation shows: the open queue and waiting appeals (two counts)."""
    user = request.user
    return {
        **context,
        "nav_open_count": selectors.open_count(user),
        "nav_appeal_count": selectors.open_appeal_count(user),
    }


def show_error(form, error: ValidationError) -> None:
    """A service's refusal, shown with the form that asked for it; nothing was changed."""
    for message in error.messages:
        form.add_error(None, message)


def status_for(forms) -> int:
    # A refused action re-renders the page with its error; 400 tells tests and tools nothing was done.
    return 400 if any(f.errors for f in forms) else 200
