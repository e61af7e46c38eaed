from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import EmailPreferencesForm
from .kinds import GROUP_TOPICS
from .tokens import BadToken, read_unsubscribe_token


def notification_list(request):
    return render(request, "notifications/list.html", {"notifications": selectors.notifications_for(request.user)})


@require_POST
def notification_open(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(notification=notification)
    if notification.shown is None:
        # What it pointed at was taken down or moved out of reach since it was sent.
        messages.info(request, "That is no longer available, so there is nothing to open.")
        return redirect("notifications:list")
    url = notification.shown.url
    target = url if url_has_allowed_host_and_scheme(url, None) else ""
    return redirect(target or "notifications:list")


@require_POST
def mark_read(request, pk: int):
    services.mark_read(notification=selectors.notification_for(request.user, pk))
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    services.mark_all_read(recipient=request.user)
    return redirect("notifications:list")


def email_preferences(request):
    form = EmailPreferencesForm(user=request.user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_email_preferences(user=request.user, choices=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved. We'll email you as you chose.")
            return redirect("notifications:email_preferences")
    return render(request, "notifications/email_preferences.html", {"form": form})


# Public (community.middleware.PUBLIC_PREFIXES): the signed token stands for the member. CSRF-exempt because
# mail programs POST here with no session and no token (RFC 8058 one-click); the worst a forged POST can do
# is what the token's owner asked for by clicking. GET only asks: link scanners open every link in an email.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user_id, group = read_unsubscribe_token(token)
    except BadToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {"topic": GROUP_TOPICS[group]}
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", context)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        services.unsubscribe(user=user, group=group)
    # An account closed since: nothing will be sent to it; the answer is the same.
    return render(request, "notifications/unsubscribe_done.html", context)
