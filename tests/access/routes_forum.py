from .matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, REDIRECT, Case, members_only, staff_only


def cases(world) -> list[Case]:
    from forum import services
    from members.audience import Audience

    adults = services.create_category(actor=world.staff, name="Matrix adults")
    teens = services.create_category(actor=world.staff, name="Matrix teens", audience=Audience.TEENS)
    topic = services.create_topic(category=adults, author=world.member, title="Matrix topic", body="Hello")
    post = topic.posts.get()
    teen_topic = services.create_topic(category=teens, author=world.teen, title="Teen topic", body="Hi")
    teen_post = teen_topic.posts.get()

    # Adult spaces: teens get 404. Teen spaces: adults and the moderator (not teen-cleared) get 404.
    adult_space = members_only(teen=NOT_FOUND)
    teen_space = members_only(member=NOT_FOUND, moderator=NOT_FOUND)
    post_only = members_only(member=NOT_ALLOWED, teen=NOT_ALLOWED, moderator=NOT_ALLOWED, staff=NOT_ALLOWED)
    own_post_only = members_only(teen=NOT_FOUND, moderator=FORBIDDEN, staff=FORBIDDEN)
    return [
        Case("forum:index", "/forum/", members_only()),
        Case("forum:search", "/forum/search/?q=hello", members_only()),
        Case("forum:bookmarks", "/forum/bookmarks/", members_only()),
        Case("forum:category", f"/forum/c/{adults.slug}/", adult_space),
        Case("forum:category", f"/forum/c/{teens.slug}/", teen_space),
        Case("forum:topic_new", f"/forum/c/{adults.slug}/new/", adult_space),
        Case("forum:category_subscription", f"/forum/c/{adults.slug}/subscription/", post_only),
        Case("forum:topic", f"/forum/t/{topic.pk}/", adult_space),
        Case("forum:topic", f"/forum/t/{teen_topic.pk}/", teen_space),
        Case("forum:reply", f"/forum/t/{topic.pk}/reply/", adult_space),
        Case("forum:topic_subscription", f"/forum/t/{topic.pk}/subscription/", post_only),
        Case(
            "forum:post",
            f"/forum/p/{post.pk}/",
            members_only(member=REDIRECT, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT),
        ),
        Case(
            "forum:post",
            f"/forum/p/{teen_post.pk}/",
            members_only(member=NOT_FOUND, teen=REDIRECT, moderator=NOT_FOUND, staff=REDIRECT),
        ),
        # Only the author edits or removes; others who can see the post are refused, those who cannot get 404.
        Case("forum:post_edit", f"/forum/p/{post.pk}/edit/", own_post_only),
        Case("forum:post_remove", f"/forum/p/{post.pk}/remove/", own_post_only),
        # History: the author and moderators.
        Case("forum:post_history", f"/forum/p/{post.pk}/history/", members_only(teen=NOT_FOUND)),
        Case("forum:post_react", f"/forum/p/{post.pk}/react/", post_only),
        Case("forum:post_bookmark", f"/forum/p/{post.pk}/bookmark/", post_only),
        # Moderator tools (POST only; tests/forum/test_moderation_tools.py covers who may POST).
        Case("forum:post_moderate", f"/forum/p/{post.pk}/moderate/", post_only),
        Case("forum:topic_moderate", f"/forum/t/{topic.pk}/moderate/", post_only),
        Case("forum:member", f"/forum/members/{world.member.pk}/", members_only(teen=NOT_FOUND)),
        Case("forum:member", f"/forum/members/{world.teen.pk}/", members_only(member=NOT_FOUND, moderator=NOT_FOUND)),
        Case("forum:manage_categories", "/forum/manage/", staff_only()),
        Case("forum:manage_category_new", "/forum/manage/new/", staff_only()),
        Case("forum:manage_category_edit", f"/forum/manage/{adults.pk}/edit/", staff_only()),
    ]
