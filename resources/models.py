"""The pages staff publish in Wagtail: the /resources/ index, resource pages, the crisis page, meeting schedules.

Who may see a page is Wagtail's page privacy (resources.permissions): the whole tree is members-only (the
members-only gate), a page may be restricted to programme groups (each has an access group, ProgrammeAccessGroup)
and a restriction to the Teen Group makes a teen page, which adults never see (and teens see no adult one).
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, CrisisLineBlock, ResourceBodyBlock


class ProgrammeAccessGroup(models.Model):
    """The Django group that stands for a programme group in Wagtail's page privacy ("Private: these groups").

    Wagtail restricts pages to Django groups; programme membership lives in members.ProgrammeMembership. The link
    lets a restriction name a programme group without copying memberships into Django groups: resources.permissions
    reads the member's programme groups when it checks a restriction.
    """

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="programme_access")
    programme_group = models.OneToOneField(
        "members.ProgrammeGroup", on_delete=models.CASCADE, related_name="resource_access"
    )

    def __str__(self) -> str:
        return self.group.name


class ResourceIndexPage(Page):
    """The root of /resources/: the resource pages a member may see, newest first, by topic, searchable."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["resources.ResourcePage", "resources.MeetingSchedulePage", "resources.CrisisPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        # Local: selectors import these models.
        from .selectors import resource_listing_for

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_listing_for(request, self, params=request.GET))
        return context


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey("resources.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items")


class ResourcePage(Page):
    summary = models.CharField(
        max_length=240, blank=True, help_text="One or two sentences for the list of resources and the home page."
    )
    body = StreamField(ResourceBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ResourcePageTag, blank=True, help_text="Topics members can filter by.")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body"), FieldPanel("tags")]
    parent_page_types = ["resources.ResourceIndexPage", "resources.ResourcePage"]
    subpage_types = ["resources.ResourcePage"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]


class CrisisPage(Page):
    """The public /help/ page, and the one place the crisis lines are written (resources.crisis)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    lines = StreamField([("line", CrisisLineBlock())], min_num=1, help_text="Shown in this order everywhere.")
    while_waiting = StreamField(
        ResourceBodyBlock(), blank=True, help_text="What to do while waiting for help, or until you feel safer."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("lines"), FieldPanel("while_waiting")]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    max_count = 1

    def get_url_parts(self, request=None):
        # Its address is /help/, outside the members-only tree, so that anyone (and "View live") lands there.
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, _path = parts
        return site_id, root_url, reverse("help")

    def serve(self, request, *args, **kwargs):
        if request.path_info != reverse("help"):
            return redirect("help")
        return super().serve(request, *args, **kwargs)


WEEKDAYS = list(enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Please choose a time zone from the list, for example America/New_York.")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class MeetingSchedulePage(RoutablePageMixin, Page):
    """Weekly meetings, as a table in the member's time zone and as a calendar file (calendar/, an .ics file)."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), InlinePanel("meetings", label="Meetings")]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    def get_context(self, request, *args, **kwargs):
        from .schedule import weekly_table_for  # local: schedule imports these models

        context = super().get_context(request, *args, **kwargs)
        context.update(weekly_table_for(request.user, self))
        return context

    @path("")
    def schedule(self, request):
        return self.render(request)

    @path("calendar/", name="calendar")  # Wagtail page addresses take no dots
    def calendar(self, request):
        from .schedule import calendar_response_for

        return calendar_response_for(request, self)


class Meeting(Orderable):
    page = ParentalKey(MeetingSchedulePage, on_delete=models.CASCADE, related_name="meetings")
    name = models.CharField(max_length=100)
    programme_group = models.ForeignKey(
        "members.ProgrammeGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty for a meeting open to all adult members. Teen Group meetings show to teens only.",
    )
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start_time = models.TimeField(help_text="In the meeting's own time zone.")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, choices=time_zone_choices, validators=[validate_time_zone]
    )
    place = models.CharField(max_length=120, help_text="A chat room (“Chat: Tuesday check-in”) or an address.")
    place_link = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: an address on this site, such as /chat/tuesday-check-in/.",
    )
    facilitator = models.CharField(max_length=60, help_text="The facilitator's display name.")

    panels = [
        FieldPanel("name"),
        FieldPanel("programme_group"),
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("duration_minutes")]),
        FieldPanel("time_zone"),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("place_link")], heading="Where"),
        FieldPanel("facilitator"),
    ]

    def clean(self):
        super().clean()
        # Only this site's own addresses: the schedule is no place for links to other hosts.
        if self.place_link and (not self.place_link.startswith("/") or self.place_link.startswith("//")):
            raise ValidationError({"place_link": "Please give an address on this site, starting with /."})

    def __str__(self) -> str:
        return self.name
