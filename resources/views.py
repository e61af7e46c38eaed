from django.shortcuts import render


def crisis_help(request):
    """Public: anyone, signed in or not, can reach crisis lines from here."""
    return render(request, "resources/help.html")
