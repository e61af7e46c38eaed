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

    def get_context(self, request, *args, **kwargs):
        # Lists and search leave out private pages this member may not open. Local: selectors imports models.
        from .selectors import children_for, clean_resource_query, search_resources

        context = super().get_context(request, *args, **kwargs)
        query = clean_resource_query(request.GET.get("q", ""))
        context["query"] = query
        context["results"] = search_resources(request, query) if query else None
        context["children"] = children_for(request, self)
        return context


class ResourcePage(Page):
    body = StreamField(ResourceBodyBlock(), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["resources.ResourceIndexPage", "resources.ResourcePage"]
    subpage_types = ["resources.ResourcePage"]
    search_fields = [*Page.search_fields, index.SearchField("body")]
