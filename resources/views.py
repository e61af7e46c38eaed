from django.shortcuts import render

from .models import CrisisPage


def crisis_help(request):
    """Public: anyone, signed in or not, can reach the crisis lines here (the crisis page staff edit in /cms/).

    Without a published crisis page, the same template shows the lines every page shows (resources.crisis), so
    this address never fails.
    """
    page = CrisisPage.objects.live().order_by("pk").first()
    if page is not None:
        return page.serve(request)
    return render(request, "resources/crisis_page.html", {"page": None})
