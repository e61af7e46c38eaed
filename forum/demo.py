"""Demo forum categories (for all adults, one per adult programme group, teen ones; celebrations and daily
check-ins on each side of the age line), most with a few topics.

Idempotent: a category is found by its slug, and a topic by its title within that category.
"""

from members.audience import Audience
from members.models import ProgrammeGroup, User

from . import services
from .models import Category, Topic

CATEGORIES = [
    # slug, name, description, audience, programme group slugs, position
    (
        "welcome",
        "Welcome and introductions",
        "New here? Say hello, share as much or as little as you like.",
        Audience.ADULTS,
        [],
        1,
    ),
    (
        "everyday-recovery",
        "Everyday recovery",
        "Work, sleep, family, routines: the ordinary days after the programme.",
        Audience.ADULTS,
        [],
        2,
    ),
    # Every adult programme group has its own category; the teen group's stays apart (teens see only theirs).
    (
        "structured-outpatient-alumni",
        "Structured Outpatient alumni",
        "For graduates of the Structured Outpatient programme: life after the group days, and keeping what worked.",
        Audience.GROUPS,
        ["structured-outpatient"],
        3,
    ),
    (
        "relapse-prevention-alumni",
        "Relapse Prevention alumni",
        "For graduates of the Relapse Prevention programme: plans, triggers, what is working.",
        Audience.GROUPS,
        ["relapse-prevention"],
        4,
    ),
    (
        "dual-diagnosis-alumni",
        "Dual Diagnosis alumni",
        "For graduates of the Dual Diagnosis programme: looking after mood and recovery together.",
        Audience.GROUPS,
        ["dual-diagnosis"],
        5,
    ),
    (
        "womens-mental-wellness-alumni",
        "Women's Mental Wellness alumni",
        "For graduates of the Women's Mental Wellness group: a quieter corner to check in with each other.",
        Audience.GROUPS,
        ["womens-mental-wellness"],
        6,
    ),
    (
        "teen-lounge",
        "Teen lounge",
        "For Teen Group alumni. School, friends, staying on track. Clinic staff read along.",
        Audience.TEENS,
        [],
        7,
    ),
    # Milestones are announced here for members who opt in (forum.milestones posts in the one on their side of the
    # age line); the check-in categories are for a short daily note.
    (
        "celebrations",
        "Celebrations",
        "Milestones and good days, big or small. Members who choose to can have their milestones announced here.",
        Audience.ADULTS,
        [],
        8,
    ),
    (
        "check-in",
        "Daily check-in",
        "A short note on how today is going. Read along, reply, or simply say you're here.",
        Audience.ADULTS,
        [],
        9,
    ),
    (
        "teen-celebrations",
        "Teen celebrations",
        "Milestones and good days for Teen Group alumni, big or small. Clinic staff read along.",
        Audience.TEENS,
        [],
        10,
    ),
    (
        "teen-check-in",
        "Teen check-in",
        "How is today going? A short note for Teen Group alumni. Clinic staff read along.",
        Audience.TEENS,
        [],
        11,
    ),
]

TOPICS = [
    # category slug, author email, title, body, content warning, replies [(email, body)]
    (
        "welcome",
        "member@example.com",
        "Hello from a Structured Outpatient graduate",
        "Hi everyone, I'm Sam. I finished the programme in the spring and I miss the Thursday group more than "
        "I expected to. Looking forward to keeping in touch here.",
        "",
        [
            ("member2@example.com", "Welcome, Sam! The Thursday group was a lifeline for me too. Glad you're here."),
            ("moderator@example.com", "Welcome aboard. The *Everyday recovery* category is a good place to start."),
        ],
    ),
    (
        "everyday-recovery",
        "member2@example.com",
        "Small routines that keep me steady",
        "Making my bed, a ten-minute walk after lunch, and texting one person every evening. "
        "What are yours?\n\n- morning: bed, coffee, walk\n- evening: one text, one page of journal",
        "",
        [
            ("member@example.com", "Writing down three things that went okay. Even on bad days I find three."),
        ],
    ),
    (
        "everyday-recovery",
        "member@example.com",
        "A rough week, and what helped",
        "Work was hard this week and I had strong cravings on Wednesday. I called my sponsor and went to a "
        "meeting instead. I'm okay now, but I wanted to say it out loud somewhere safe.",
        "cravings",
        [
            (
                "member2@example.com",
                "Thank you for sharing this. Calling someone is exactly the skill we practised. Proud of you, @Sam_R.",
            ),
        ],
    ),
    (
        "relapse-prevention-alumni",
        "member2@example.com",
        "Updating my relapse prevention plan after six months",
        "Our facilitator said to revisit the plan every few months. I added two new warning signs "
        "(skipping meals, avoiding calls) and a new person to my list. Anyone else done a review lately?",
        "",
        [],
    ),
    (
        "structured-outpatient-alumni",
        "member@example.com",
        "What I do on the days that used to be group days",
        "Tuesdays and Thursdays felt empty for a while after we finished. Now I keep the same hour for myself: "
        "a walk, then ten minutes with the workbook. Some weeks it's just the walk, and that's fine too.",
        "",
        [
            (
                "staff@example.com",
                "Keeping the hour is a lovely idea, Sam. The group's rhythm can stay with you even when the group "
                "doesn't meet any more.",
            ),
        ],
    ),
    (
        "dual-diagnosis-alumni",
        "member2@example.com",
        "Telling my new doctor the whole story",
        "I started with a new GP this month and was nervous about explaining both the depression and the "
        "drinking. I wrote a short list beforehand, like we practised, and it went better than I feared.",
        "",
        [
            (
                "moderator@example.com",
                "Writing it down first makes such a difference. Thank you for sharing how it went, @Jordan.",
            ),
        ],
    ),
    (
        "womens-mental-wellness-alumni",
        "staff@example.com",
        "Welcome to the Women's Mental Wellness space",
        "This corner is for graduates of the Women's Mental Wellness group. Share a small win, ask how others "
        "handle a hard week, or just say hello. Take what helps, leave what doesn't.",
        "",
        [
            (
                "moderator@example.com",
                "A gentle question to start us off: what is one thing you did for yourself this week?",
            ),
            (
                "member3@example.com",
                "I went for a walk at lunch without my phone. Twenty minutes, and my head felt clearer all afternoon.",
            ),
        ],
    ),
    (
        "teen-lounge",
        "teen@example.com",
        "Exams are coming up",
        "Anyone else stressed about exams? I'm trying to keep up the breathing exercises from group.",
        "",
        [],
    ),
]


def seed() -> None:
    staff = User.objects.filter(email="staff@example.com").first()
    if staff is None:
        return
    for slug, name, description, audience, group_slugs, position in CATEGORIES:
        if Category.objects.filter(slug=slug).exists():
            continue
        services.create_category(
            actor=staff,
            slug=slug,
            name=name,
            description=description,
            audience=audience,
            programme_groups=list(ProgrammeGroup.objects.filter(slug__in=group_slugs)),
            position=position,
        )
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.com")}
    for slug, email, title, body, content_warning, replies in TOPICS:
        category = Category.objects.get(slug=slug)
        author = users.get(email)
        if author is None or Topic.objects.filter(category=category, title=title).exists():
            continue
        # The clinic's own seed content: the demo members' first posts are not held as a new member's would be.
        topic = services.create_topic(
            category=category,
            author=author,
            title=title,
            body=body,
            content_warning=content_warning,
            hold_first_posts=False,
        )
        for reply_email, reply_body in replies:
            if reply_email in users:
                services.create_reply(topic=topic, author=users[reply_email], body=reply_body, hold_first_posts=False)
    welcome = Topic.objects.filter(category__slug="welcome").order_by("pk").first()
    if welcome is not None and not welcome.pinned:
        services.pin_topic(topic=welcome, actor=staff, reason="Demo: the welcome topic stays on top.")
    _seed_reports(users)


# The review queue is not empty in the demo: a post with crisis language (screening opens an urgent item, and a
# member reports it too), and two ordinary reports. (author, title, body, [(reporter, reason, note)])
REPORTED = [
    (
        "member2@example.com",
        "Feeling low tonight",
        "Everything feels heavy tonight and I keep thinking everyone would be better off without me.",
        [("member@example.com", "crisis", "I'm worried about Jordan, this doesn't sound like them.")],
    ),
    (
        "member2@example.com",
        "Supplements that helped me",
        "Check out my new supplement shop, 20% off for everyone here: just message me for the link.",
        [("member@example.com", "spam", "")],
    ),
    (
        "member@example.com",
        "Bumped into someone from group",
        "I saw Chris M. from Thursday group at the pharmacy on Main Street yesterday, looking rough.",
        [("member2@example.com", "privacy", "This names someone from our group.")],
    ),
]


def _seed_reports(users) -> None:
    from moderation.services import AlreadyFlagged, report

    category = Category.objects.filter(slug="everyday-recovery").first()
    if category is None:
        return
    for email, title, body, reports in REPORTED:
        author = users.get(email)
        if author is None or Topic.objects.filter(category=category, title=title).exists():
            continue
        topic = services.create_topic(category=category, author=author, title=title, body=body, hold_first_posts=False)
        post = topic.posts.get(position=1)
        for reporter_email, reason, note in reports:
            if reporter_email in users:
                try:
                    report(reporter=users[reporter_email], kind="post", target_id=post.pk, reason=reason, note=note)
                except AlreadyFlagged:
                    pass
