from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
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
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
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

    def format_email_subject(self, subject):
        # Discreet: an inbox preview must not reveal what the site is.
        return "Your account: " + subject.split("] ")[-1]
