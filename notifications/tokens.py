"""The signed unsubscribe token in every notification email: it stands for one member and one group of emails.

No expiry: an email read months later must still stop the emails it is about. What it can do is small (turn
emails off), and nothing in it is readable as a name: the member's id and the group, signed with SECRET_KEY and
this salt so that a token made for anything else here is refused.
"""

from django.core import signing

from .kinds import ALL, KindGroup

SALT = "notifications.unsubscribe"


class BadToken(Exception):
    """The link was cut, changed, or not made by this site."""


def make_unsubscribe_token(*, user_id: int, group: str) -> str:
    if group != ALL and group not in KindGroup.values:
        raise ValueError(f"Unknown email group: {group!r}")
    return signing.dumps({"u": user_id, "g": group}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, group) from a token; BadToken when it is not one of ours, untouched."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadToken from exc
    if not isinstance(data, dict):
        raise BadToken
    user_id, group = data.get("u"), data.get("g")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not (group == ALL or group in KindGroup.values):
        raise BadToken
    return user_id, group
