from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from members.audience import Audience, audience_choice_error, audience_q
from members.http import int_param
from members.permissions import staff_required
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
        "can_moderate": can_moderate,
    }
    if can_moderate:
        context["mute_form"] = MuteForm(members=selectors.recent_authors(room, exclude_user=request.user))
        context["mutes"] = selectors.active_mutes(room)
    return render(request, "chat/room.html", context)


CRISIS_HELP_KEY = "chat_crisis_help"


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
