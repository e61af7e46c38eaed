"""Member-facing reads of the resource pages: every listing, search and teaser leaves out the private sections this
request may not see (resources.permissions), as serving a page does.

Wagtail checks a restriction only when a page is served; `live()` and search know nothing of it, so titles of
private pages would show in lists. `PageQuerySet.public()` would hide every private page, even from the people it
is for; instead each request leaves out exactly the sections it does not pass. Restrictions are few (one per
private section), so they are read once per request, whatever the number of pages.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from taggit.models import Tag
from wagtail.models import Page

from .models import CrisisPage, MeetingSchedulePage, ResourceIndexPage, ResourcePage
from .permissions import restriction_reader

MAX_QUERY = 100
MAX_TERMS = 8
PER_PAGE = 20


def _hidden_q(paths) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def visible_pages_for(request, pages=None):
    """Live pages (of `pages`, or all resource pages) that this request may see."""
    pages = ResourcePage.objects.all() if pages is None else pages
    return pages.live().exclude(_hidden_q(restriction_reader(request).hidden_paths))


def latest_resources_for(request, *, limit: int = 5) -> list[ResourcePage]:
    """The most recently published resource pages the request may see (for the home page)."""
    return list(visible_pages_for(request).order_by("-first_published_at", "-pk")[:limit])


def clean_resource_query(query: str) -> str:
    """Words only, and few of them: members search titles and text, not a query language."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in (query or "")[:MAX_QUERY]).split() if len(w) > 1]
    return " ".join(words[:MAX_TERMS])


def search_resources(request, query: str, *, limit: int = 20) -> list[ResourcePage]:
    """Resource pages matching `query` that the request may see, best first."""
    query = clean_resource_query(query)
    if not query:
        return []
    reader = restriction_reader(request)
    pages = ResourcePage.objects.live()
    # The search backend filters only on indexed fields; the private sections are left out afterwards, from a
    # few more hits than needed, so that hidden pages can neither show nor crowd out visible ones.
    hits = pages.search(query, operator="and")[: limit + 50]
    return [page for page in hits if reader.may_see(page)][:limit]


def topic_tags_for(request) -> list[Tag]:
    """The topics of the pages this request may see (a topic only on hidden pages would give them away)."""
    visible = visible_pages_for(request).values("pk")
    tags = Tag.objects.filter(resources_resourcepagetag_items__content_object__in=visible)
    return list(tags.distinct().order_by("name"))


def resource_listing_for(request, index: ResourceIndexPage, *, params) -> dict:
    """The /resources/ page: visible resource pages newest first, one topic or a search, a page at a time."""
    query = clean_resource_query(params.get("q", ""))
    tags = topic_tags_for(request)
    tag = next((t for t in tags if t.slug == params.get("topic", "")), None)
    pages = visible_pages_for(request, ResourcePage.objects.descendant_of(index))
    if tag is not None:
        pages = pages.filter(tags=tag)
    pages = pages.order_by("-first_published_at", "-pk").prefetch_related("tags")
    listing = Paginator(pages, PER_PAGE).get_page(params.get("page"))
    others = visible_pages_for(request, index.get_children().type(MeetingSchedulePage, CrisisPage)).specific()
    return {
        "query": query,
        "results": search_resources(request, query) if query else None,
        "tags": tags,
        "tag": tag,
        "listing": listing,
        "elided_pages": listing.paginator.get_elided_page_range(listing.number, on_each_side=1, on_ends=1),
        "other_pages": list(others),
    }


def meeting_schedules_for(request) -> list[Page]:
    return list(visible_pages_for(request, MeetingSchedulePage.objects.all()))
