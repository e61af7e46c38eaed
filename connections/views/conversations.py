"""/messages/: a member's private conversations (chat's private rooms), and starting one with a buddy or the team."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chat.selectors import private_rooms_for
from members.models import User

from .. import permissions, selectors, services
from ..services import ConnectionsError


def conversation_list(request):
    permissions.check_member(request.user)
    user = request.user
    context = {
        "rooms": list(private_rooms_for(user)),
        "buddies": list(selectors.buddies_of(user)),
    }
    return render(request, "connections/conversations.html", context)


@require_POST
def start(request, pk: int):
    """Open (or reopen) the conversation with member `pk`: buddies, the team, or one's supporter only; 404 else."""
    other = User.objects.filter(pk=pk).first()
    permissions.check_start_conversation(request.user, other)
    try:
        room = services.start_conversation(member=request.user, other=other)
    except ConnectionsError as refused:
        messages.error(request, str(refused))
        return redirect("conversations:list")
    return redirect(room.get_absolute_url())
