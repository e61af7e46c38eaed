from .matrix import NOT_ALLOWED, NOT_FOUND, REDIRECT, Case, members_only


def cases(world) -> list[Case]:
    everyone_redirected = members_only(member=REDIRECT, teen=REDIRECT, moderator=REDIRECT, staff=REDIRECT)
    return [
        Case("members:me", "/me/", members_only()),
        # Blocking a moderator is refused with a message (back to their profile), for everyone, themselves included.
        Case("members:block", f"/members/{world.moderator.pk}/block/", everyone_redirected),
        Case(
            "members:unblock",
            f"/members/{world.moderator.pk}/unblock/",
            members_only(member=NOT_ALLOWED, teen=NOT_ALLOWED, moderator=NOT_ALLOWED, staff=NOT_ALLOWED),
        ),
        Case("members:export", "/me/export/", members_only()),
        # Only the owner's own, ready export is found; an export of nobody's is 404 to everyone.
        Case(
            "members:export_file",
            "/me/export/999999/json/",
            members_only(member=NOT_FOUND, teen=NOT_FOUND, moderator=NOT_FOUND, staff=NOT_FOUND),
        ),
        # Closing an account asks for the password again first.
        Case("members:delete", "/me/delete/", everyone_redirected),
    ]
