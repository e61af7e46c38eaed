"""Forum objects made through the services, as members would make them.

A member's request commits when it ends, and what the services leave for after the commit (telling mentioned
members and watchers, as tasks) runs then. Tests run inside a transaction that never commits, so the topic and
reply made here run those callbacks as the request would have.
"""

import itertools

from django.test import TestCase

from forum import services
from forum.models import Category
from members.audience import Audience

_n = itertools.count(1)


def make_category(*, audience: str = Audience.ADULTS, groups=(), staff=None, **fields) -> Category:
    n = next(_n)
    fields.setdefault("name", f"Category {n}")
    category = Category.objects.create(audience=audience, slug=f"category-{n}", **fields)
    category.programme_groups.set(groups)
    return category


def make_topic(*, category, author, title: str = "", body: str = "Opening post", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.create_topic(
            category=category, author=author, title=title or f"Topic {next(_n)}", body=body, **kwargs
        )


def make_reply(*, topic, author, body: str = "A reply", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.create_reply(topic=topic, author=author, body=body, **kwargs)


def make_watchers(n: int, *, topic=None, category=None, prefix: str = "Watcher") -> list:
    """`n` approved adult members watching `topic` (or `category`), bulk-made: hundreds through the factories
    would take minutes, and what is tested is the fan-out to them, not their making."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from forum.models import Subscription
    from members.models import Role, User

    tag = next(_n)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix.lower()}{tag}-{i}@example.com",
                display_name=f"{prefix} {tag} {i}",
                year_of_birth=1985,
                approved_at=timezone.now(),
                email_verified=True,
            )
            for i in range(n)
        ]
    )
    role = Group.objects.get(name=Role.MEMBER)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=role.pk) for u in users])
    target = {"topic": topic} if topic is not None else {"category": category}
    Subscription.objects.bulk_create([Subscription(user=u, level=Subscription.Level.WATCHING, **target) for u in users])
    return users
