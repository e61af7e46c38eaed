from .matrix import FORBIDDEN, NOT_FOUND, REDIRECT, Case, members_only, moderators_only

BAD_REQUEST = 400


def cases(world) -> list[Case]:
    from connections import services
    from tests.connections.conftest import make_buddies
    from tests.factories import UserFactory, teen_year

    member = world.member
    other = UserFactory(display_name="Matrix other")
    buddy = UserFactory(display_name="Matrix buddy")
    parting = UserFactory(display_name="Matrix parting")
    make_buddies(member, buddy)
    make_buddies(member, parting)
    goal = services.create_goal(owner=member, title="Matrix goal", share_with=[buddy])
    aside = services.create_goal(owner=member, title="Matrix goal to put aside")
    to_accept = services.ask_buddy(asker=UserFactory(display_name="Matrix asker"), member=member)
    to_decline = services.ask_buddy(asker=UserFactory(display_name="Matrix asker 2"), member=member)
    own_request = services.request_support(member=member)
    someones_request = services.request_support(member=other)
    teen_supporter = UserFactory(display_name="Matrix teen helper", year_of_birth=teen_year())
    services.grant_peer_supporter(member=teen_supporter, actor=world.staff)

    # The member's own things: theirs to use; to anyone else they do not exist.
    owner_only_get = members_only(teen=NOT_FOUND, moderator=NOT_FOUND, staff=NOT_FOUND)
    owner_only_post = members_only(member=REDIRECT, teen=NOT_FOUND, moderator=NOT_FOUND, staff=NOT_FOUND)
    return [
        Case("goals:list", "/me/goals/", members_only()),
        Case("goals:daily", "/me/goals/check-in/", members_only()),
        Case("goals:detail", f"/me/goals/{goal.pk}/", owner_only_get),
        Case(
            "goals:check_in", f"/me/goals/{goal.pk}/check-in/", owner_only_post, method="post", data={"status": "done"}
        ),
        Case("goals:archive", f"/me/goals/{aside.pk}/put-aside/", owner_only_post, method="post"),
        Case("connections:buddies", "/connections/buddies/", members_only()),
        # By name: a teen cannot reach a moderator who is not cleared for teens, and nobody asks themselves; both
        # are told the name was not found (400), as for a name nobody has.
        Case(
            "connections:ask_by_name",
            "/connections/buddies/ask/",
            members_only(member=REDIRECT, teen=BAD_REQUEST, moderator=BAD_REQUEST, staff=REDIRECT),
            method="post",
            data={"display_name": "Matrix mod"},
        ),
        Case(
            "connections:ask",
            f"/connections/buddies/ask/{other.pk}/",
            members_only(member=REDIRECT, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT),
            method="post",
        ),
        Case("connections:accept", f"/connections/buddies/requests/{to_accept.pk}/accept/", owner_only_post, "post"),
        Case("connections:decline", f"/connections/buddies/requests/{to_decline.pk}/decline/", owner_only_post, "post"),
        Case("connections:buddy", f"/connections/buddies/{buddy.pk}/", owner_only_get),
        Case("connections:nudge", f"/connections/buddies/{buddy.pk}/nudge/", owner_only_post, method="post"),
        Case("connections:end", f"/connections/buddies/{parting.pk}/end/", owner_only_post, method="post"),
        Case("conversations:list", "/messages/", members_only()),
        # With the staff member: any member may write to the team; a teen only to someone on their side of the line;
        # staff to themselves: nothing to open.
        Case(
            "conversations:start",
            f"/messages/with/{world.staff.pk}/",
            members_only(member=REDIRECT, teen=NOT_FOUND, moderator=REDIRECT, staff=NOT_FOUND),
            method="post",
        ),
        Case("support:home", "/support/", members_only()),
        Case(
            "support:ask",
            "/support/ask/",
            members_only(member=REDIRECT, teen=REDIRECT, moderator=REDIRECT, staff=REDIRECT),
            method="post",
        ),
        Case("support:status", "/support/status/", members_only()),
        Case(
            "support:duty",
            "/support/duty/",
            members_only(member=FORBIDDEN, teen=FORBIDDEN, moderator=FORBIDDEN, staff=FORBIDDEN),
            method="post",
            data={"on": "1"},
        ),
        # Someone else's request: moderators answer (the first wins; staff, coming second, are told kindly).
        Case(
            "support:answer",
            f"/support/requests/{someones_request.pk}/answer/",
            members_only(member=NOT_FOUND, teen=NOT_FOUND, moderator=REDIRECT, staff=REDIRECT),
            method="post",
        ),
        Case("support:close", f"/support/requests/{own_request.pk}/close/", owner_only_post, method="post"),
        Case("support:supporters", "/support/supporters/", moderators_only()),
        # A teen supporter: only teen-cleared team members see them.
        Case(
            "support:remove_supporter",
            f"/support/supporters/{teen_supporter.pk}/remove/",
            members_only(member=FORBIDDEN, teen=FORBIDDEN, moderator=NOT_FOUND, staff=REDIRECT),
            method="post",
        ),
    ]
