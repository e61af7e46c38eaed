from .matrix import FORBIDDEN, NOT_FOUND, REDIRECT, Case, members_only, staff_only


def cases(world) -> list[Case]:
    from chat import services
    from members.audience import Audience
    from tests.chat.factories import RoomFactory

    adults = RoomFactory(name="Matrix adults", slug="matrix-adults")
    teens = RoomFactory(name="Matrix teens", slug="matrix-teens", audience=Audience.TEENS)
    by_member = services.post_message(room=adults, author=world.member, body="from the member").message
    by_staff = services.post_message(room=adults, author=world.staff, body="from staff").message
    mute = services.mute_member(room=adults, member=world.member, actor=world.staff, minutes=1, reason="matrix")

    # POSTs into the adults' room: members are sent back to the room; teens never learn the room exists.
    adult_post = members_only(member=REDIRECT, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT)
    moderator_post = members_only(member=FORBIDDEN, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT)
    return [
        Case("chat:rooms", "/chat/", members_only()),
        Case("chat:room", f"/chat/{adults.slug}/", members_only(teen=NOT_FOUND)),
        Case("chat:room", f"/chat/{teens.slug}/", members_only(member=NOT_FOUND, moderator=NOT_FOUND)),
        Case("chat:post", f"/chat/{adults.slug}/post/", adult_post, method="post", data={"body": "matrix hello"}),
        Case(
            "chat:post",
            f"/chat/{teens.slug}/post/",
            members_only(member=NOT_FOUND, moderator=NOT_FOUND, teen=REDIRECT, staff=REDIRECT),
            method="post",
            data={"body": "matrix hello"},
        ),
        # Reports of the staff member's message (staff reporting their own is refused and sent back too).
        Case(
            "chat:flag",
            f"/chat/{adults.slug}/messages/{by_staff.pk}/flag/",
            adult_post,
            method="post",
            data={"reason": "other"},
        ),
        # The member's own message: they may remove it, moderators may remove any (a second removal is a no-op).
        Case("chat:remove", f"/chat/{adults.slug}/messages/{by_member.pk}/remove/", adult_post, method="post"),
        Case(
            "chat:remove",
            f"/chat/{adults.slug}/messages/{by_staff.pk}/remove/",
            members_only(member=FORBIDDEN, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT),
            method="post",
        ),
        Case(
            "chat:mute",
            f"/chat/{adults.slug}/mute/",
            moderator_post,
            method="post",
            data={"member": world.member.pk, "minutes": 15, "reason": "matrix"},
        ),
        Case("chat:lift_mute", f"/chat/{adults.slug}/mutes/{mute.pk}/lift/", moderator_post, method="post"),
        Case(
            "chat:presence",
            "/chat/presence/",
            members_only(member=REDIRECT, teen=REDIRECT, moderator=REDIRECT, staff=REDIRECT),
            method="post",
            data={"visible": "on"},
        ),
        Case("chat:time_zone", "/chat/time-zone/", members_only()),
        # Only its author edits a message, and not while muted in the room (the member is, above); others are
        # refused, and teens never learn the room exists.
        Case(
            "chat:edit",
            f"/chat/{adults.slug}/messages/{by_member.pk}/edit/",
            members_only(member=FORBIDDEN, teen=NOT_FOUND, moderator=FORBIDDEN, staff=FORBIDDEN),
        ),
        Case("chat:manage", "/chat/manage/", staff_only()),
        Case("chat:room_new", "/chat/manage/new/", staff_only()),
        Case("chat:room_edit", f"/chat/manage/{adults.pk}/", staff_only()),
    ]
