"""Demo chat rooms: one for all adults, one per adult programme group and one for teens, with a little history.

Idempotent: a room that has messages is left alone.
"""

from datetime import time

from members.audience import Audience
from members.models import ProgrammeGroup, User

from . import services
from .models import Room

ROOMS = [
    # slug, name, description, audience, programme group slugs, schedule (weekdays, opens, closes), slow mode
    ("open-circle", "Open circle", "A warm place for any alumni to check in, any time.", Audience.ADULTS, [], None, 0),
    (
        "tuesday-check-in",
        "Tuesday evening check-in",
        "A facilitated weekly check-in. Open Tuesdays 7–8 pm; read-only the rest of the week.",
        Audience.ADULTS,
        [],
        ("1", time(19, 0), time(20, 0)),
        10,
    ),
    # Every adult programme group has its own room; the teen group's stays apart.
    (
        "structured-outpatient-alumni",
        "Structured Outpatient alumni",
        "For graduates of the Structured Outpatient programme.",
        Audience.GROUPS,
        ["structured-outpatient"],
        None,
        0,
    ),
    (
        "relapse-prevention-alumni",
        "Relapse Prevention alumni",
        "For graduates of the Relapse Prevention programme.",
        Audience.GROUPS,
        ["relapse-prevention"],
        None,
        0,
    ),
    (
        "dual-diagnosis-alumni",
        "Dual Diagnosis alumni",
        "For graduates of the Dual Diagnosis programme.",
        Audience.GROUPS,
        ["dual-diagnosis"],
        None,
        0,
    ),
    (
        "womens-mental-wellness-alumni",
        "Women's Mental Wellness alumni",
        "For graduates of the Women's Mental Wellness group.",
        Audience.GROUPS,
        ["womens-mental-wellness"],
        None,
        0,
    ),
    (
        "teen-hangout",
        "Teen hangout",
        "For Teen Group alumni. Clinic staff drop in now and then.",
        Audience.TEENS,
        [],
        None,
        0,
    ),
]

HISTORY = {
    "open-circle": [
        ("member@example.com", "Good morning, everyone. Coffee in hand, 142 days today."),
        ("member2@example.com", "Congratulations @Sam_R! That's something to be proud of."),
        ("moderator@example.com", "Welcome in, both of you. How is everyone doing with the cold weather?"),
        ("member@example.com", "Honestly a bit restless. I'm going to try the evening walk idea from group."),
        ("member2@example.com", "That helped me a lot last winter. Even ten minutes counts."),
    ],
    "tuesday-check-in": [
        ("staff@example.com", "Welcome to the Tuesday check-in. One word for how your week went?"),
        ("member@example.com", "Steady."),
        ("member2@example.com", "Busy, but I kept my meetings."),
        ("staff@example.com", "Thank you both. See you next Tuesday at 7."),
    ],
    "relapse-prevention-alumni": [
        ("member2@example.com", "Does anyone still use the HALT check from the workbook?"),
        ("member@example.com", "Every day. Hungry, angry, lonely, tired: usually it's tired for me."),
        ("moderator@example.com", "Same here. Naming it takes half the power out of it."),
    ],
    "structured-outpatient-alumni": [
        ("member@example.com", "Anyone else miss the Thursday afternoon group? I still look at the clock at 2."),
        ("staff@example.com", "We miss you all too. This room is here for exactly that, any day of the week."),
        ("member@example.com", "Thanks, Dana. I'll pop in after my walk and see who's around."),
    ],
    "dual-diagnosis-alumni": [
        ("member2@example.com", "Low-energy day today. Took my meds, ate something, that's the win."),
        ("moderator@example.com", "That is a real win, Jordan. Low days count too."),
        ("member2@example.com", "Thanks. Might try the mood log again tonight, it helped me notice patterns."),
    ],
    "womens-mental-wellness-alumni": [
        ("staff@example.com", "Welcome to the Women's Mental Wellness room. Drop in whenever you like."),
        ("moderator@example.com", "Hello all. Tea, a blanket and a quiet evening here. How is everyone?"),
        ("member3@example.com", "Hi! Long day, but I kept my evening routine. Small win."),
    ],
    "teen-hangout": [
        ("teen@example.com", "finished my first week back at school without skipping anything"),
        ("staff@example.com", "That's a big deal, Riley. How did you get through the hard moments?"),
        ("teen@example.com", "texted my sister and used the grounding thing. 5 things I can see etc"),
    ],
}


def seed() -> None:
    staff = User.objects.filter(email="staff@example.com").first()
    for slug, name, description, audience, group_slugs, schedule, slow_mode in ROOMS:
        room = Room.objects.filter(slug=slug).first()
        if room is None:
            fields = {
                "name": name,
                "slug": slug,
                "description": description,
                "audience": audience,
                "slow_mode_seconds": 0,
                "retention_days": 365,
            }
            room = services.save_room(
                actor=staff,
                room=None,
                fields=fields,
                programme_groups=ProgrammeGroup.objects.filter(slug__in=group_slugs),
            )
        if not room.messages.exists():
            for email, body in HISTORY[slug]:
                author = User.objects.filter(email=email).first()
                if author is not None:
                    services.post_message(room=room, author=author, body=body)
        # Schedule and slow mode are set after the history, which is written "in the past".
        room.slow_mode_seconds = slow_mode
        if schedule:
            room.schedule_weekdays, room.opens_at, room.closes_at = schedule
        room.save(update_fields=["slow_mode_seconds", "schedule_weekdays", "opens_at", "closes_at"])
