"""The access matrix: every named route, every role, the expected outcome.

Each app contributes `tests/access/routes_<app>.py` with `def cases(world) -> list[Case]`. `world` holds one
user per role (and creates nothing else); an app's `cases` creates the objects its URLs need through its
own services or factories. `test_access_matrix.py` fails for a named route that no case covers.
"""

from dataclasses import dataclass, field

ROLES = ("visitor", "applicant", "member", "teen", "moderator", "staff")

# Outcomes
OK = 200
LOGIN = "login"  # redirected to sign-in
STATUS = "status"  # redirected to the applicant status page
NOT_FOUND = 404
FORBIDDEN = 403
NOT_ALLOWED = 405  # a POST-only address opened with GET
REDIRECT = "redirect"  # some other redirect (to MFA set-up, to a canonical address, ...)


@dataclass
class Case:
    name: str  # the URL name, e.g. "forum:topic"
    url: str  # a concrete URL for it
    expect: dict[str, object]  # role -> outcome; every role in ROLES must be present
    method: str = "get"
    data: dict = field(default_factory=dict)


def members_only(*, teen=OK, moderator=OK, staff=OK, member=OK) -> dict[str, object]:
    """The usual row: visitors to sign-in, applicants to their status page."""
    return {
        "visitor": LOGIN,
        "applicant": STATUS,
        "member": member,
        "teen": teen,
        "moderator": moderator,
        "staff": staff,
    }


def staff_only() -> dict[str, object]:
    return members_only(member=FORBIDDEN, teen=FORBIDDEN, moderator=FORBIDDEN, staff=OK)


def moderators_only() -> dict[str, object]:
    return members_only(member=FORBIDDEN, teen=FORBIDDEN, moderator=OK, staff=OK)


def public() -> dict[str, object]:
    return {role: OK for role in ROLES}
