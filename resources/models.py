from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ResourceBodyBlock


class ResourceIndexPage(Page):
    """The root of /resources/: staff-published pages for members."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["resources.ResourcePage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1


class ResourcePage(Page):
    body = StreamField(ResourceBodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["resources.ResourceIndexPage", "resources.ResourcePage"]
    subpage_types = ["resources.ResourcePage"]
    search_fields = [*Page.search_fields, index.SearchField("body")]
