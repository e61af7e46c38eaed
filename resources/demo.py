"""Demo resource pages: a few accurate, warm pages written for this community, the meeting schedule, one page per
programme group (restricted to it), and the crisis page. Development only (`seed_demo`); safe to run again (pages
that exist, by slug, are left as they are)."""

from datetime import time

from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from members.models import ProgrammeGroup

from .models import Meeting, MeetingSchedulePage, ResourcePage
from .services import EDITORS, PUBLISHERS, ensure_programme_access_group, ensure_resource_root


def _p(*paragraphs: str) -> list[tuple]:
    return [("paragraph", f"<p>{text}</p>") for text in paragraphs]


GUIDES = [
    {
        "slug": "coping-with-cravings",
        "title": "Coping with cravings: urge surfing",
        "summary": "A craving rises, peaks and passes, usually within half an hour. Urge surfing is a way to ride "
        "it out without acting on it.",
        "tags": ["cravings", "coping skills", "mindfulness"],
        "body": [
            *_p(
                "Cravings are a normal part of recovery, not a sign that you are failing. They often come with "
                "a place, a time of day, a feeling or a person, and they can show up long after you stopped.",
                "A craving behaves like a wave: it builds, reaches a crest and falls away, most often within 20 to "
                "30 minutes. Fighting it hard can make it feel bigger. Urge surfing, a skill from mindfulness-based "
                "relapse prevention, is about noticing the wave and staying on the board until it passes.",
            ),
            (
                "steps",
                {
                    "title": "Urge surfing, step by step",
                    "steps": [
                        "Pause and name it: “I'm having a craving.” You are noticing it, not obeying it.",
                        "Sit or stand comfortably and take a few slow breaths, a little longer out than in.",
                        "Notice where you feel the craving in your body: your mouth, throat, chest, stomach, hands. "
                        "Describe it to yourself: warm, tight, buzzing, heavy.",
                        "Stay curious as it changes. Rate it from 0 to 10 every minute or two and watch the number "
                        "rise and fall.",
                        "Use your breath as the board: each time the urge pulls at you, come back to one slow breath.",
                        "When the wave has passed, do something kind for yourself, and note what set it off, so "
                        "you can plan for it next time.",
                    ],
                },
            ),
            (
                "callout",
                {
                    "kind": "info",
                    "title": "It gets easier",
                    "text": "Every craving you ride out without using weakens the link between the trigger and the "
                    "habit. Many people find cravings come less often and feel smaller over the months.",
                },
            ),
            ("heading", "If it feels too strong"),
            *_p(
                "Reach out before you act: text someone from your group, post in the forum, or join a chat room. "
                "Saying “I'm having a craving” out loud takes away some of its power."
            ),
            (
                "callout",
                {
                    "kind": "caution",
                    "title": "Withdrawal can be dangerous",
                    "text": "Stopping some substances suddenly, such as alcohol or benzodiazepines, can cause "
                    "seizures. If you are having withdrawal symptoms, call your clinic team or your doctor, or "
                    "911 in an emergency.",
                },
            ),
        ],
    },
    {
        "slug": "the-halt-check",
        "title": "The HALT check: hungry, angry, lonely, tired",
        "summary": "Four simple questions that catch many hard moments early.",
        "tags": ["coping skills", "self-care", "triggers"],
        "body": [
            *_p(
                "Many slips start when a basic need has been ignored for too long. HALT is a quick way to check "
                "in with yourself when you feel on edge, restless or drawn back to old habits."
            ),
            (
                "steps",
                {
                    "title": "Ask yourself, one at a time",
                    "steps": [
                        "Hungry? When did I last eat a proper meal? Have something to eat and a glass of water.",
                        "Angry? Is something bothering me that I haven't said? Write it down, move your body, or "
                        "talk it through with someone you trust.",
                        "Lonely? Have I been isolating? Reach out: a message, a call, a chat room, a meeting.",
                        "Tired? Have I been sleeping? Rest if you can, even twenty minutes, and keep tonight simple.",
                    ],
                },
            ),
            (
                "quote",
                {
                    "quote": "Most of my bad days started with skipping lunch and not talking to anyone. HALT "
                    "helped me see it coming.",
                    "attribution": "An alumnus of the Relapse Prevention group",
                },
            ),
            *_p("You can run a HALT check several times a day. It is not a test: it is a way to be kind to yourself."),
        ],
    },
    {
        "slug": "5-4-3-2-1-grounding",
        "title": "5-4-3-2-1 grounding",
        "summary": "When anxiety, panic or a flashback takes over, your senses can bring you back to the here and now.",
        "tags": ["anxiety", "coping skills", "grounding"],
        "body": [
            *_p(
                "Grounding helps when your thoughts are racing or you feel far away from yourself. It uses your "
                "five senses to bring your attention back to where you are, right now. You can do it anywhere, "
                "and nobody has to know."
            ),
            (
                "steps",
                {
                    "title": "Slowly, noticing each one",
                    "steps": [
                        "Name 5 things you can see around you.",
                        "Name 4 things you can touch, and feel them: your feet on the floor, the fabric of your "
                        "sleeve.",
                        "Name 3 things you can hear.",
                        "Name 2 things you can smell (or two smells you like).",
                        "Name 1 thing you can taste, or one good thing about yourself.",
                    ],
                },
            ),
            (
                "callout",
                {
                    "kind": "info",
                    "title": "Take your time",
                    "text": "There is no right answer and no hurry. If you lose your place, start again from 5. "
                    "Slow breathing alongside it helps too.",
                },
            ),
        ],
    },
    {
        "slug": "writing-a-relapse-prevention-plan",
        "title": "Writing a relapse prevention plan",
        "summary": "A plan written on a good day is there for you on a hard one. Here is what to put in it.",
        "tags": ["relapse prevention", "planning", "triggers"],
        "body": [
            *_p(
                "Relapse is often a process rather than a single moment: it can start with changes in mood and "
                "habits days or weeks before any use. A written plan helps you notice the early signs and know "
                "what to do. Many people write it with their counsellor and share it with someone they trust."
            ),
            ("heading", "What to include"),
            (
                "steps",
                {
                    "title": "",
                    "steps": [
                        "Your reasons: why recovery matters to you, in your own words.",
                        "Your triggers: people, places, feelings, times and situations that raise the risk.",
                        "Your warning signs: changes you or others notice, such as skipping meetings, poor sleep, "
                        "isolating, or thinking “just once won't hurt”.",
                        "Your coping skills: what helps in the moment (urge surfing, HALT, grounding, a walk, a call).",
                        "Your people: names and numbers of those you can call, including your sponsor, your group "
                        "and your clinic team.",
                        "What to do if you slip: who to tell, how to get back to support quickly, and a reminder that "
                        "a slip is a reason to reach out, not to give up.",
                    ],
                },
            ),
            (
                "callout",
                {
                    "kind": "info",
                    "title": "Keep it where you can reach it",
                    "text": "A photo on your phone, a card in your wallet, a note on the fridge. Look at it again "
                    "every few months and when life changes.",
                },
            ),
            (
                "outside_link",
                {
                    "url": "https://www.samhsa.gov/find-help/helplines/national-helpline",
                    "title": "SAMHSA National Helpline",
                    "description": "Free, confidential treatment referral and information, day and night.",
                },
            ),
        ],
    },
]

GROUP_PAGES = {
    "structured-outpatient": (
        "Structured Outpatient alumni",
        "Your space to keep the routine and connection you built in the programme.",
        "Structured Outpatient gave you several sessions a week and people who understood. Here you can keep "
        "some of that going: a weekly check-in chat, a forum category where you can share wins and hard days, "
        "and staff who still read along.",
    ),
    "relapse-prevention": (
        "Relapse Prevention alumni",
        "Practise the skills together and keep each other accountable.",
        "Relapse Prevention alumni share how they use their plans in real life: what works, what needed "
        "changing, and how they got back on track after a slip. Bring your plan to the Tuesday meeting if you "
        "would like feedback.",
    ),
    "dual-diagnosis": (
        "Dual Diagnosis alumni",
        "Support for recovery and mental health, side by side.",
        "Looking after your mental health and your recovery at the same time is hard work. This space is for "
        "talking about both: medication questions for your prescriber, mood and sleep, and staying connected "
        "when things feel heavy.",
    ),
    "womens-mental-wellness": (
        "Women's Mental Wellness alumni",
        "A space for women to keep supporting each other.",
        "The Women's Mental Wellness group continues here: a weekly evening meeting, a forum category only "
        "group members can see, and resources on stress, relationships, parenting and self-care.",
    ),
    "teen-group": (
        "Teen Group alumni",
        "Your own space, just for teens from the Teen Group.",
        "This part of the site is only for Teen Group alumni. Adults in the community cannot see it. You will "
        "find a teen chat room, a forum category and tips on school stress, friends and staying on track. A "
        "staff member is always around to help.",
    ),
}

MEETINGS = [
    # name, programme group slug (None: all adults), weekday, time, place, link, facilitator
    ("Monday morning check-in", None, 0, time(9, 0), "Chat: Monday check-in", "/chat/", "Dana (clinic team)"),
    (
        "Relapse Prevention skills circle",
        "relapse-prevention",
        1,
        time(18, 30),
        "Chat: Relapse Prevention",
        "/chat/",
        "Alex (peer mod)",
    ),
    ("Dual Diagnosis peer support", "dual-diagnosis", 2, time(19, 0), "Clinic, room 2", "", "Dana (clinic team)"),
    (
        "Women's evening circle",
        "womens-mental-wellness",
        3,
        time(19, 30),
        "Chat: Women's circle",
        "/chat/",
        "Dana (clinic team)",
    ),
    (
        "Structured Outpatient alumni meet-up",
        "structured-outpatient",
        4,
        time(17, 0),
        "Clinic, group room",
        "",
        "Alex (peer mod)",
    ),
    ("Teen hangout", "teen-group", 5, time(15, 0), "Chat: Teen hangout", "/chat/", "Dana (clinic team)"),
]


def _add(parent, page, *, tags=()):
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    return page


def seed() -> None:
    index = ensure_resource_root()
    for guide in GUIDES:
        page = ResourcePage(title=guide["title"], slug=guide["slug"], summary=guide["summary"], body=guide["body"])
        _add(index, page, tags=guide["tags"])

    for slug, (title, summary, text) in GROUP_PAGES.items():
        programme_group = ProgrammeGroup.objects.get(slug=slug)
        page = _add(
            index,
            ResourcePage(title=title, slug=f"group-{slug}", summary=summary, body=_p(text)),
            tags=["programme groups"],
        )
        if not PageViewRestriction.objects.filter(page=page).exists():
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
            restriction.groups.set([ensure_programme_access_group(programme_group).group])

    schedule = index.get_children().type(MeetingSchedulePage).first()
    if schedule is None:
        schedule = MeetingSchedulePage(
            title="Meeting schedule",
            slug="meetings",
            intro="<p>Weekly meetings run by peer facilitators and the clinic team. Come as you are; you can "
            "listen without speaking.</p>",
        )
        for order, (name, group_slug, weekday, start, place, link, facilitator) in enumerate(MEETINGS):
            schedule.meetings.add(
                Meeting(
                    sort_order=order,
                    name=name,
                    programme_group=ProgrammeGroup.objects.get(slug=group_slug) if group_slug else None,
                    weekday=weekday,
                    start_time=start,
                    time_zone=settings.TIME_ZONE,
                    place=place,
                    place_link=link,
                    facilitator=facilitator,
                )
            )
        index.add_child(instance=schedule)
        schedule.save_revision().publish()

    # The demo staff member writes and publishes resources (in a clinic, two people would share these roles).
    from members.models import User

    staff = User.objects.filter(email="staff@example.com").first()
    if staff is not None:
        staff.groups.add(*Group.objects.filter(name__in=[EDITORS, PUBLISHERS]))
