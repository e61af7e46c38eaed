from django.urls import include, path
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("help/", views.crisis_help, name="help"),
    # Calendar apps subscribe without a session: the token stands for the member (resources.schedule).
    path("calendar/<str:token>/meetings.ics", views.meetings_feed, name="meetings_feed"),
    # Documents attached to resource pages; members-only like every address outside the gate's public list.
    path("documents/", include(wagtaildocs_urls)),
]
