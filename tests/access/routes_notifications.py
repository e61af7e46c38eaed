from django.urls import reverse

from notifications.tokens import make_unsubscribe_token

from .matrix import NOT_ALLOWED, Case, members_only, public

BAD_REQUEST = 400


def cases(world) -> list[Case]:
    post_only = members_only(member=NOT_ALLOWED, teen=NOT_ALLOWED, moderator=NOT_ALLOWED, staff=NOT_ALLOWED)
    # The link in an email works without signing in: its signature stands for the member (shown, not acted on, by GET).
    token = make_unsubscribe_token(user_id=world.member.pk, group="all")
    good_link = reverse("notifications:unsubscribe", args=[token])
    return [
        Case("notifications:mark_read", "/notifications/999999/read/", post_only),
        Case("notifications:email_preferences", "/notifications/email/", members_only()),
        Case("notifications:unsubscribe", good_link, public()),
        Case(
            "notifications:unsubscribe",
            "/notifications/unsubscribe/not-a-signed-token/",
            {role: BAD_REQUEST for role in public()},
        ),
    ]
