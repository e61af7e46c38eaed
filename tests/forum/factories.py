"""Forum objects made through the services, as members would make them."""

import itertools

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
    return services.create_topic(
        category=category, author=author, title=title or f"Topic {next(_n)}", body=body, **kwargs
    )


def make_reply(*, topic, author, body: str = "A reply", **kwargs):
    return services.create_reply(topic=topic, author=author, body=body, **kwargs)
