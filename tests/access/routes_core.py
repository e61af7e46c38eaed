from .matrix import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, STATUS, Case, members_only, public, staff_only


def cases(world) -> list[Case]:
    from members.services import create_invitation

    invitation = create_invitation(actor=world.staff, email="", send=False)
    post_only = members_only(member=NOT_ALLOWED, teen=NOT_ALLOWED, moderator=NOT_ALLOWED, staff=NOT_ALLOWED)
    staff_post_only = staff_only() | {"staff": NOT_ALLOWED}
    return [
        Case("home", "/", members_only()),
        Case("healthz", "/healthz", public()),
        Case("robots", "/robots.txt", public()),
        Case("help", "/help/", public()),
        Case(
            "members:status",
            "/welcome/",
            {**members_only(member=REDIRECT, teen=REDIRECT, moderator=REDIRECT, staff=REDIRECT), "applicant": OK},
        ),
        Case("members:guidelines", "/guidelines/", {**members_only(), "applicant": OK}),
        Case("members:invitations", "/staff/invitations/", staff_only()),
        Case("members:invitation_resend", f"/staff/invitations/{invitation.pk}/resend/", staff_post_only),
        Case("members:invitation_revoke", f"/staff/invitations/{invitation.pk}/revoke/", staff_post_only),
        Case("members:approvals", "/staff/approvals/", staff_only()),
        Case("members:approval_decide", f"/staff/approvals/{world.applicant.pk}/approve/", staff_post_only),
        Case("members:members", "/staff/members/", staff_only()),
        Case("members:member_detail", f"/staff/members/{world.member.pk}/", staff_only()),
        Case("members:member_year_of_birth", f"/staff/members/{world.member.pk}/age/", staff_post_only),
        Case("notifications:list", "/notifications/", members_only()),
        Case("notifications:mark_all_read", "/notifications/read-all/", post_only),
        Case("notifications:open", "/notifications/999999/open/", post_only),
        Case(
            "account_login",
            "/accounts/login/",
            {
                **public(),
                "applicant": STATUS,
                "member": REDIRECT,
                "teen": REDIRECT,
                "moderator": REDIRECT,
                "staff": REDIRECT,
            },
        ),
        Case(
            "account_signup",
            "/accounts/signup/",
            {
                **public(),
                "applicant": STATUS,
                "member": REDIRECT,
                "teen": REDIRECT,
                "moderator": REDIRECT,
                "staff": REDIRECT,
            },
        ),
        Case("account_reset_password", "/accounts/password/reset/", public()),
        Case("account_email", "/accounts/email/", {**members_only(), "applicant": OK}),
        Case("mfa_index", "/accounts/2fa/", {**members_only(), "applicant": OK}),
        Case("usersessions_list", "/accounts/sessions/", {**members_only(), "applicant": OK}),
        Case("wagtailadmin_home", "/cms/", staff_only() | {"staff": OK}),
        Case(
            "admin:index",
            "/django-admin/",
            members_only(member=403, teen=403, moderator=403, staff=403) | {"applicant": STATUS},
        ),
        Case("wagtail_serve", "/resources/", members_only()),
        # Shadowed by the one sign-in (community/urls.py): every signed-in role is sent to allauth's page.
        Case(
            "wagtaildocs_authenticate_with_password",
            "/documents/authenticate_with_password/1/",
            members_only(member=LOGIN, teen=LOGIN, moderator=LOGIN, staff=LOGIN),
        ),
        # A calendar feed answers only to its token, whoever asks (a calendar app has no session): a wrong one is 404.
        Case(
            "meetings_feed",
            "/calendar/1-not-a-real-token/meetings.ics",
            {role: NOT_FOUND for role in ("visitor", "applicant", "member", "teen", "moderator", "staff")},
        ),
        # Teens and adults never see each other's profiles: the adult member's profile is a 404 to a teen.
        Case("members:profile", f"/members/{world.member.pk}/", members_only(teen=NOT_FOUND)),
        # A document that does not exist (the resource tests cover private documents).
        Case(
            "wagtaildocs_serve",
            "/documents/999999/missing.pdf",
            members_only(member=NOT_FOUND, teen=NOT_FOUND, moderator=NOT_FOUND, staff=NOT_FOUND),
        ),
    ]
