"""Forum search through Wagtail's search with its database backend.

Why this library: it is already installed for the resource pages, and its database backend uses SQLite FTS5
(bm25 ranking) in the embedded set-up and PostgreSQL full text (ts_rank) when DATABASE_URL points there, so
the same code ranks real word matches on both without LIKE scans or a separate search server.

Posts are indexed by the services when they are written or edited (not by the library's save signal, so that
a plain read never writes). What a member may find is decided by `selectors.visible_posts_for`, applied as a
filter on the search: nothing held, hidden, removed or outside their audience can come back.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.backends import get_search_backend

from .models import Post

MAX_QUERY = 200
SNIPPET_CHARS = 240


def index_post(post: Post) -> None:
    get_search_backend().add(post)


def search_posts(user, query: str, *, limit: int = 50) -> list[Post]:
    """Posts the member may see that match `query`, best first (at most `limit`)."""
    from .selectors import visible_posts_for

    query = clean_query(query)
    if not query:
        return []
    allowed = Post.objects.filter(pk__in=visible_posts_for(user).values("pk")).select_related(
        "topic__category", "author"
    )
    results = list(get_search_backend().search(query, allowed, operator="and")[:limit])
    # The backends rank by word statistics over the whole entry; a topic whose title matches is what a member
    # most likely looks for, so those opening posts come first (a stable sort keeps the backend's order within).
    terms = _terms(query)
    results.sort(key=lambda post: not (post.position == 1 and _mentions_any(post.topic.title, terms)))
    return results


def _mentions_any(text: str, terms: list[str]) -> bool:
    words = re.findall(r"\w+", text.lower())
    return any(word.startswith(term) for word in words for term in terms)


def clean_query(query: str) -> str:
    """Words only: quotes, brackets and operators mean something to FTS5 and tsquery, and members mean none of it."""
    return " ".join(re.findall(r"\w+", (query or "")[:MAX_QUERY]))


def _terms(query: str) -> list[str]:
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1][:10]


def highlight(text: str, query: str, *, length: int = SNIPPET_CHARS) -> SafeString:
    """A snippet of plain `text` around the first match, escaped first and then marked, so nothing can slip in."""
    text = " ".join(text.split())
    terms = _terms(query)
    start = 0
    if terms:
        found = re.search("|".join(re.escape(t) for t in terms), text, re.IGNORECASE)
        if found:
            start = max(0, found.start() - length // 3)
    snippet = text[start : start + length]
    escaped = escape(("… " if start else "") + snippet + (" …" if start + length < len(text) else ""))
    if terms:
        # Terms are escaped too: the pattern runs over escaped text and can only wrap what is already safe.
        # The look-behind keeps entities such as &amp; whole.
        pattern = re.compile(r"(?<![&#\w])(" + "|".join(re.escape(escape(t)) for t in terms) + r")\w*", re.IGNORECASE)
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(escaped)  # noqa: S308 -- built from escaped text above
