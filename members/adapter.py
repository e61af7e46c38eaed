from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The user row needs these before its first save; register_applicant completes the sign-up.
        user.display_name = form.cleaned_data["display_name"]
        user.year_of_birth = form.cleaned_data["year_of_birth"]
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.is_approved_member:
            return reverse("members:status")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject):
        # Discreet: an inbox preview must not reveal what the site is.
        return "Your account: " + subject.split("] ")[-1]
