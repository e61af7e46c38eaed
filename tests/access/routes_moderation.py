from .matrix import REDIRECT, Case, moderators_only, staff_only


def cases(world) -> list[Case]:
    from moderation import services

    word = services.add_watched_word(actor=world.staff, kind="phrase", pattern="matrix watched phrase", action="flag")
    return [
        Case("moderation:audit_log", "/moderation/audit/", moderators_only()),
        Case("moderation:audit_log_csv", "/moderation/audit/export.csv", moderators_only()),
        Case("moderation:watched_words", "/moderation/watched-words/", staff_only()),
        Case("moderation:watched_word_edit", f"/moderation/watched-words/{word.pk}/", staff_only()),
        Case(
            "moderation:watched_word_active",
            f"/moderation/watched-words/{word.pk}/active/",
            staff_only() | {"staff": REDIRECT},
            method="post",
            data={"active": "1"},
        ),
    ]
