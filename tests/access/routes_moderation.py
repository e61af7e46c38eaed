from .matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Case, members_only, staff_only


def team_only(*, moderator=OK) -> dict[str, object]:
    """Moderation pages: members and teens get 404 (the area's existence is not revealed)."""
    return members_only(member=NOT_FOUND, teen=NOT_FOUND, moderator=moderator, staff=OK)


def cases(world) -> list[Case]:
    from moderation import services
    from moderation.models import ReviewItem
    from tests.factories import UserFactory, programme_group, teen_year

    word = services.add_watched_word(actor=world.staff, kind="phrase", pattern="matrix watched phrase", action="flag")
    adult = UserFactory(display_name="Matrix reported")
    services.report(reporter=world.member, kind="member", target_id=adult.pk, reason="spam")
    item = ReviewItem.objects.get(kind="member", target_id=adult.pk)
    other_teen = UserFactory(
        display_name="Matrix teen two", year_of_birth=teen_year(), programme_groups=[programme_group("teen-group")]
    )
    services.report(reporter=other_teen, kind="member", target_id=world.teen.pk, reason="spam")
    teen_item = ReviewItem.objects.get(kind="member", target_id=world.teen.pk)
    sanction = services.issue_sanction(member=adult, kind="warning", actor=world.staff, reason="Matrix warning")
    appeal = services.submit_appeal(member=adult, message="Matrix appeal", sanction=sanction)
    post_only = members_only(member=NOT_ALLOWED, teen=NOT_ALLOWED, moderator=NOT_ALLOWED, staff=NOT_ALLOWED)
    return [
        Case("moderation:queue", "/moderation/", team_only()),
        Case("moderation:item", f"/moderation/items/{item.pk}/", team_only()),
        Case("moderation:item", f"/moderation/items/{teen_item.pk}/", team_only(moderator=NOT_FOUND)),
        Case("moderation:member", f"/moderation/members/{adult.pk}/", team_only()),
        Case("moderation:member", f"/moderation/members/{world.teen.pk}/", team_only(moderator=NOT_FOUND)),
        Case("moderation:appeals", "/moderation/appeals/", team_only()),
        Case("moderation:appeal", f"/moderation/appeals/{appeal.pk}/", team_only()),
        Case("moderation:audit_log", "/moderation/audit/", team_only()),
        Case("moderation:audit_log_csv", "/moderation/audit/export.csv", team_only()),
        Case("moderation:watched_words", "/moderation/watched-words/", staff_only()),
        Case("moderation:watched_word_edit", f"/moderation/watched-words/{word.pk}/", staff_only()),
        Case(
            "moderation:watched_word_active",
            f"/moderation/watched-words/{word.pk}/active/",
            staff_only() | {"staff": REDIRECT},
            method="post",
            data={"active": "1"},
        ),
        Case("moderation_member:report", f"/report/member/{adult.pk}/", members_only(teen=NOT_FOUND)),
        Case("moderation_member:standing", "/my-standing/", members_only()),
        Case("moderation_member:appeal_sanction", f"/my-standing/appeal/sanction/{sanction.pk}/", post_only),
        Case("moderation_member:appeal_item", f"/my-standing/appeal/decision/{item.pk}/", post_only),
    ]
