"""The 90-day mood chart, drawn on the server as inline SVG (no chart library, nothing fetched, no script), with a
text summary and a table for anyone who does not see the picture.

Days without a check-in are simply not drawn: a gap is not a failure, and nothing marks it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Mood

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 92, 12, 14, 34
INK, MUTED, GRID, ACCENT = "#1f2933", "#4a5561", "#d5d9de", "#1d5c63"


@dataclass
class MoodChart:
    svg: SafeString
    summary: str
    rows: list[tuple[date, float, str]]


def _label(mood: float) -> str:
    return Mood(int(round(mood))).label


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B}"


def mood_chart(points: list[tuple[date, float]], *, today: date, days: int = 90) -> MoodChart:
    """`points`: (day, mood 1-5) oldest first, as selectors.mood_days gives them."""
    start = today - timedelta(days=days - 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + (day - start).days * plot_w / max(days - 1, 1), 1)

    def y(mood: float) -> float:
        return round(TOP + (5 - mood) * plot_h / 4, 1)

    parts = [
        f'<svg class="mood-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        'aria-labelledby="mood-chart-title mood-chart-desc" focusable="false">',
        f'<title id="mood-chart-title">Your mood over the last {days} days</title>',
    ]
    summary = _summary(points, days)
    parts.append(f'<desc id="mood-chart-desc">{escape(summary)}</desc>')
    parts.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>')
    for value, label in Mood.choices:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(value)}" x2="{WIDTH - RIGHT}" y2="{y(value)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y(value) + 4}" text-anchor="end" font-size="12" fill="{MUTED}">'
            f"{escape(label)}</text>"
        )
    for day, anchor in ((start, "start"), (start + timedelta(days=(days - 1) // 2), "middle"), (today, "end")):
        parts.append(
            f'<text x="{x(day)}" y="{HEIGHT - 10}" text-anchor="{anchor}" font-size="12" fill="{MUTED}">'
            f"{escape(_day_text(day))}</text>"
        )
    if len(points) > 1:
        coords = " ".join(f"{x(day)},{y(mood)}" for day, mood in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    for day, mood in points:
        parts.append(f'<circle cx="{x(day)}" cy="{y(mood)}" r="4" fill="{ACCENT}" stroke="{INK}" stroke-width="0.5"/>')
    parts.append("</svg>")
    rows = [(day, mood, _label(mood)) for day, mood in reversed(points)]
    # Every value above is a number, a date we formatted or escaped text: safe to place in the page as is.
    return MoodChart(svg=mark_safe("".join(parts)), summary=summary, rows=rows)  # noqa: S308


def _summary(points: list[tuple[date, float]], days: int) -> str:
    if not points:
        return f"No check-ins in the last {days} days yet. When you check in, your mood is drawn here, for you only."
    average = sum(mood for _day, mood in points) / len(points)
    last_day, last_mood = points[-1]
    count = len(points)
    return (
        f"You checked in on {count} day{'s' if count != 1 else ''} of the last {days}. "
        f"Your average mood was {average:.1f} ({_label(average).lower()}). "
        f"Most recently, on {_day_text(last_day)}: {_label(last_mood).lower()} ({last_mood:g} of 5)."
    )
