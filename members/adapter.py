from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.urls import reverse

from . import tasks
from .validators import clean_email_address


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The user row needs these before its first save; register_applicant completes the sign-up.
        user.display_name = form.cleaned_data["display_name"]
        user.year_of_birth = form.cleaned_data["year_of_birth"]
        return super().save_user(request, user, form, commit=commit)

    def clean_email(self, email: str) -> str:
        # Every allauth form that takes an address (sign-up, add or change email, password reset) passes here.
        return super().clean_email(clean_email_address(email))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render here (the templates need the request), send from a task after commit.

        A mail server that is down or refuses the address must not undo or break the sign-up that asked for
        the email; the task logs the failure and tries again where the backend allows.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, **_community_context()}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        tasks.enqueue_after_commit(tasks.send_email_message, message=tasks.message_to_dict(message))

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed sign-ins per account ("5/5m/key"), so anyone who knew an email could lock its
        # owner out. The key now also holds the client's address: a stranger's failures lock only the stranger.
        # (The per-address limit, "10/m/ip", still holds across all accounts.) tests/community/test_sign_in_limits.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.is_approved_member:
            return reverse("members:status")
        return super().get_login_redirect_url(request)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # A security notice ("your password was changed") ends with what to do if it was not the member: choose a
        # new password. The link is the one thing that carries the address; the words never do.
        request = allauth_context.request
        reset = {"password_reset_url": request.build_absolute_uri(reverse("account_reset_password"))} if request else {}
        context = {**reset, **(context or {})}
        super().send_notification_mail(template_prefix, user, context=context, email=email)

    def format_email_subject(self, subject):
        # Every subject begins with the community's name from settings (never the Site or host name, which is what
        # allauth would use); the rest of the subject is plain and neutral (templates/account/email/*_subject.txt).
        return f"{settings.COMMUNITY_NAME}: {subject}"


def _community_context() -> dict:
    """What every account email may say about where it comes from: the community's name, nothing else.

    allauth's context carries `current_site` (here a RequestSite: the host, "127.0.0.1:8000" or the clinic's
    domain), and its stock templates greet with "Hello from <host>!". Our templates use `community_name`; should
    one of allauth's ever be rendered, `current_site` says the community's name too, never the host.
    """
    name = settings.COMMUNITY_NAME
    return {"community_name": name, "current_site": SimpleNamespace(name=name, domain=name)}
