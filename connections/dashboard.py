"""connections' panel on the moderation dashboard: how fast support requests were answered this week."""

from datetime import timedelta

from . import selectors


def say_duration(value: timedelta | None) -> str:
    """ "45 seconds", "4 minutes", "1 hour 20 minutes": plain words for a wait."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{text} {minutes} minute{'s' if minutes != 1 else ''}" if minutes else text


def support_response_panel(user) -> dict | None:
    """For clinic staff: support requests of the last 7 days, and the median and slowest time to an answer.
    No names and no request is shown: a figure about the service, not about anyone who asked."""
    if not user.is_clinic_staff:
        return None
    times = selectors.response_times(days=7)
    return {**times, "median_text": say_duration(times["median"]), "slowest_text": say_duration(times["slowest"])}
