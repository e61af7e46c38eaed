from django.http import Http404
from django.shortcuts import render

from .models import CrisisPage, MeetingSchedulePage


def crisis_help(request):
    """Public: anyone, signed in or not, can reach the crisis lines here (the crisis page staff edit in /cms/).

    Without a published crisis page, the same template shows the lines every page shows (resources.crisis), so
    this address never fails.
    """
    page = CrisisPage.objects.live().order_by("pk").first()
    if page is not None:
        return page.serve(request)
    return render(request, "resources/crisis_page.html", {"page": None})


def meetings_feed(request, token: str):
    """The member's meetings as a calendar feed their calendar app subscribes to (no session: the token in the
    address stands for the member, see resources.schedule). Anything wrong is a plain 404."""
    from .permissions import check_view_page
    from .schedule import calendar_response_for, member_for_feed_token

    member = member_for_feed_token(token)
    page = MeetingSchedulePage.objects.live().order_by("pk").first()
    if member is None or page is None:
        raise Http404("No such calendar.")
    # Judged as the member would be on the page itself: its privacy, then the meetings they may see.
    request.user = member
    check_view_page(request, page)
    response = calendar_response_for(request, page)
    response["Cache-Control"] = "private, no-store"
    return response
