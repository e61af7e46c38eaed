import functools
import zoneinfo
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from members.audience import Audience, audience_choice_error, audience_q
from members.http import int_param
from members.permissions import staff_required
from members.services import set_time_zone
from moderation.services import (
    AlreadyFlagged,
    ItemError,
    ReportError,
    ReportNotFound,
    TooManyReports,
    act_on_target,
)

from . import permissions, protocol, selectors, services
from .forms import FlagForm, MessageForm, MuteForm, PresenceForm, RemoveForm, RoomForm
from .models import Room, RoomMute
from .protocol import ChatError


def room_list(request):
    rooms = list(selectors.rooms_for(request.user))
    now = timezone.now()
    for room in rooms:
        room.open_now = room.is_open_at(now)
        room.opens_next = None if room.open_now else room.next_opening(now)
    return render(
        request,
        "chat/room_list.html",
        {
            "rooms": rooms,
            "can_manage": permissions.can_manage_rooms(request.user),
        },
    )


def room(request, slug: str):
    room = selectors.room_for(request.user, slug)
    before_seq = int_param(request.GET, "before", minimum=1)
    page, has_more = selectors.latest_messages(room, before_seq=before_seq, viewer=request.user)
    if before_seq is None and page:
        services.mark_read(user=request.user, room=room, seq=page[-1].seq)
    selectors.collapse_hidden(page, reader=request.user)
    now = timezone.now()
    can_moderate = permissions.can_moderate_room(request.user, room)
    context = {
        "room": room,
        "now": now,
        "chat_messages": page,
        "has_more": has_more,
        "first_seq": page[0].seq if page else room.last_seq + 1,
        "last_seq": page[-1].seq if page and before_seq is not None else room.last_seq,
        "older_page": before_seq is not None,
        "open_now": room.is_open_at(now),
        "opens_next": room.next_opening(now),
        "muted": selectors.active_mute(user=request.user, room=room),
        "read_only": request.user.is_read_only,
        # Set by `post` after crisis language: shown once, to the writer only.
        "show_crisis_help": request.session.pop(CRISIS_HELP_KEY, False),
        "form": MessageForm(),
        "flag_form": FlagForm(),
        "visible": selectors.visible_in_presence(request.user),
        "closed": room.is_closed,
        "can_moderate": can_moderate,
    }
    context.update(_message_templates(request.user))
    context["time_zone_label"] = time_zone_label(request.user)
    if room.is_private:
        other = selectors.other_participant(room, request.user)
        context["other_name"] = other.display_name if other is not None else ""
    if can_moderate:
        context["mute_form"] = MuteForm(members=selectors.recent_authors(room, exclude_user=request.user))
        context["mutes"] = selectors.active_mutes(room)
    return render(request, "chat/room.html", context)


CRISIS_HELP_KEY = "chat_crisis_help"


def _message_templates(user) -> dict:
    """Placeholders for the page's <template> copies of chat/message.html, from which chat.js builds live
    messages: one as the member's own (edit form, held and edited notes, which the script drops when they do not
    apply), one as someone else's. Message id 0 gives the "-0" ids and "/0/" addresses the script replaces."""

    def placeholder(author_id):
        return SimpleNamespace(
            pk=0,
            seq=0,
            author_id=author_id,
            author=SimpleNamespace(display_name=""),
            created_at=None,
            edited_at=True,
            is_held=author_id == user.pk,
            html="",
            body="",
        )

    return {
        "template_own": placeholder(user.pk),
        "template_other": placeholder(-1),
        "template_collapsed": SimpleNamespace(pk=0, seq=0, collapsed_note=""),
    }


def _back(room: Room, anchor: str = "composer"):
    return redirect(f"{room.get_absolute_url()}#{anchor}")


@require_POST
def post(request, slug: str):
    """The composer without JavaScript: the same checks and service as the socket's `send`."""
    room = selectors.room_for(request.user, slug)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(room)
    try:
        permissions.check_post(request.user, room)
        posted = services.post_message(room=room, author=request.user, body=form.cleaned_data["body"])
    except (ChatError, permissions.ChatPermissionDenied) as refused:
        messages.error(request, refused.detail)
        return _back(room)
    if posted.held:
        messages.info(request, protocol.HELD_DETAIL)
    if posted.crisis_html:
        request.session[CRISIS_HELP_KEY] = True
        return _back(room, "crisis-resources")
    return _back(room, f"m-{posted.message.pk}")


def edit(request, slug: str, pk: int):
    """Editing one's own message without JavaScript: the same checks and service as the socket's `edit`, starting
    from the source text (Markdown and mentions as typed), not from what it rendered to."""
    room, message = _message_in(request, slug, pk)
    if not permissions.can_edit_message(request.user, message):
        raise PermissionDenied("You can only edit your own messages.")
    body, error = message.body, ""
    if request.method == "POST":
        form = MessageForm(request.POST)
        body = request.POST.get("body", "")
        if not form.is_valid():
            error = " ".join(e for errors in form.errors.values() for e in errors)
        else:
            try:
                permissions.check_edit_message(request.user, message)
                edited = services.edit_message(message=message, actor=request.user, body=form.cleaned_data["body"])
            except (ChatError, permissions.ChatPermissionDenied) as refused:
                error = refused.detail
            else:
                if edited.held:
                    messages.info(request, protocol.HELD_DETAIL)
                else:
                    messages.success(request, "Your message is updated.")
                if edited.crisis_html:
                    request.session[CRISIS_HELP_KEY] = True
                    return _back(room, "crisis-resources")
                return _back(room, f"m-{message.pk}")
    return render(
        request,
        "chat/message_edit.html",
        {"room": room, "message": message, "body": body, "error": error},
        status=400 if error else 200,
    )


@functools.cache
def time_zone_names() -> list[str]:
    """Zone names a member can choose: the "Area/City" ones, without the legacy and POSIX aliases."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right/"))
    )


def time_zone_label(user) -> str:
    if user.time_zone:
        return user.time_zone.replace("_", " ")
    return f"clinic time ({settings.TIME_ZONE.replace('_', ' ')})"


def time_zone_setting(request):
    """Which zone the member's times are shown in. chat.js posts the browser's zone once (`automatic`) while the
    member has chosen none; that never replaces a zone they chose here."""
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        name = request.POST.get("time_zone", "")
        automatic = request.POST.get("automatic") == "1"
        if name and name not in time_zone_names():
            if automatic:
                return HttpResponse(status=204)
            error = "Please choose a time zone from the list."
        elif automatic:
            if not request.user.time_zone and name:
                set_time_zone(user=request.user, time_zone=name)
            return HttpResponse(status=204)
        else:
            set_time_zone(user=request.user, time_zone=name)
            messages.success(request, f"Times are now shown in {time_zone_label(request.user)}.")
            return redirect(next_url or "chat:time_zone")
    return render(
        request,
        "chat/time_zone.html",
        {
            "zones": time_zone_names(),
            "current": request.user.time_zone,
            "clinic_zone": settings.TIME_ZONE,
            "next": next_url,
            "error": error,
        },
        status=400 if error else 200,
    )


def _message_in(request, slug: str, pk: int):
    room = selectors.room_for(request.user, slug)
    message = selectors.message_in_room(room, pk)
    if message is None:
        raise Http404("No such message.")
    return room, message


@require_POST
def remove(request, slug: str, pk: int):
    room, message = _message_in(request, slug, pk)
    if message.state in (message.State.REMOVED, message.State.HIDDEN):  # a second click, or a quicker moderator
        messages.info(request, "That message was already removed.")
        return _back(room, "messages")
    permissions.check_remove_message(request.user, message)
    form = RemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if message.author_id == request.user.pk:
        services.remove_message(message=message, actor=request.user, reason=reason)
    else:
        # A moderator's removal goes through moderation: a reason is required, the author is told, and any
        # open report about the message is decided with it.
        try:
            act_on_target(kind="message", target=message, actor=request.user, action="remove", reason=reason)
        except ItemError as refused:
            messages.error(request, " ".join(refused.messages))
            return _back(room, f"m-{message.pk}")
    messages.success(request, "The message was removed.")
    return _back(room, "messages")


@require_POST
def flag(request, slug: str, pk: int):
    room, message = _message_in(request, slug, pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose what the concern is.")
        return _back(room, f"m-{message.pk}")
    try:
        permissions.check_flag_message(request.user, message)
        services.flag_message(message=message, reporter=request.user, **form.cleaned_data)
    except ReportNotFound:
        raise Http404("No such message.") from None
    except (AlreadyFlagged, TooManyReports, permissions.ChatPermissionDenied) as refused:
        messages.info(request, str(refused))
        return _back(room, f"m-{message.pk}")
    except ReportError as refused:
        messages.error(request, str(refused))
        return _back(room, f"m-{message.pk}")
    messages.success(request, "Thank you. The moderators will look at it; nobody is told who reported it.")
    return _back(room, f"m-{message.pk}")


@require_POST
def mute(request, slug: str):
    room = selectors.room_for(request.user, slug)
    permissions.check_moderate_room(request.user, room)
    form = MuteForm(request.POST, members=selectors.recent_authors(room, exclude_user=request.user))
    if not form.is_valid():
        messages.error(request, "Please choose a member, a duration and a reason.")
        return _back(room, "moderation")
    member = form.cleaned_data["member"]
    services.mute_member(
        room=room,
        member=member,
        actor=request.user,
        minutes=form.cleaned_data["minutes"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, f"{member.display_name} can read but not write here for now.")
    return _back(room, "moderation")


@require_POST
def lift_mute(request, slug: str, pk: int):
    room = selectors.room_for(request.user, slug)
    permissions.check_moderate_room(request.user, room)
    mute = get_object_or_404(RoomMute, pk=pk, room=room)
    services.lift_mute(mute=mute, actor=request.user, reason=request.POST.get("reason", "")[:500])
    messages.success(request, f"{mute.member.display_name} can write here again.")
    return _back(room, "moderation")


@require_POST
def presence_setting(request):
    form = PresenceForm(request.POST)
    visible = form.is_valid() and form.cleaned_data["visible"]
    services.set_presence_visibility(user=request.user, visible=visible)
    messages.success(
        request,
        "Others in a room can now see that you are there." if visible else "You are now hidden from “Here now” lists.",
    )
    try:
        return redirect(selectors.room_for(request.user, request.POST.get("room", "")).get_absolute_url())
    except Http404:
        return redirect("chat:rooms")


@staff_required
def manage_rooms(request):
    # Staff who are not teen-cleared do not see teen rooms, not even their names.
    rooms = selectors.rooms_for_staff().filter(audience_q(request.user, Room))
    return render(request, "chat/manage.html", {"rooms": rooms})


@staff_required
def room_edit(request, pk: int | None = None):
    room = get_object_or_404(selectors.rooms_for_staff().filter(audience_q(request.user, Room)), pk=pk) if pk else None
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        if error := audience_choice_error(request.user, form.cleaned_data["audience"]):
            form.add_error("audience", error)  # makes the form invalid: the page is shown again below
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "programme_groups"}
        # Programme groups only matter for a programme-group audience; others must not keep stale ones.
        groups = form.cleaned_data["programme_groups"] if fields["audience"] == Audience.GROUPS else []
        saved = services.save_room(actor=request.user, room=room, fields=fields, programme_groups=groups)
        messages.success(request, f"The room “{saved.name}” is saved.")
        return redirect("chat:manage")
    return render(request, "chat/room_form.html", {"form": form, "room": room})
