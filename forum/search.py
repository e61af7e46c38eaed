"""Forum search through Wagtail's search with its database backend.

Why this library: it is already installed for the resource pages, and its database backend uses SQLite FTS5
(bm25 ranking) in the embedded set-up and PostgreSQL full text (ts_rank) when DATABASE_URL points there, so
the same code ranks real word matches on both without LIKE scans or a separate search server. Both stem English
words ("routine" finds "routines"): the "english" configuration on PostgreSQL (WAGTAILSEARCH_BACKENDS), the porter
tokenizer on SQLite (forum migration 0003).

Posts are indexed by the services when they are written or edited (not by the library's save signal, so that
a plain read never writes). What a member may find is decided by `selectors.visible_posts_for`, applied to the
best matches (see search_posts): nothing held, hidden, removed, outside their audience or by a member in a block
with them can come back.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.backends import get_search_backend

from .models import Post
from .selectors import visible_posts_for

# Bounds on what one search may ask, so that its cost stays flat whatever is typed (100 one-letter words took
# 15 s on 2,000 posts): at most MAX_TERMS words, each of MIN_TERM to MAX_TERM letters, from the first MAX_QUERY
# characters. One-letter words and very common words match nearly every post, so they are left out; every
# remaining word must match (AND), so more words only narrow the search. The page says so when it drops any.
MAX_QUERY = 200
MAX_TERMS = 6
MIN_TERM = 2
MAX_TERM = 40
STOP_WORDS = frozenset(
    "an and are as at be but by for from has have he her his if in is it its me my of on or our she so than that "
    "the their them then there these they this to too us was we were what when which who will with you your".split()
)
SNIPPET_CHARS = 240
# Searches per member per minute; a person reading results does far fewer (settings.FORUM_SEARCHES_PER_MINUTE).
SEARCHES_PER_MINUTE = 20


class SearchLimited(Exception):
    """Too many searches in a short time; the message is shown to the member as is."""


@dataclass(frozen=True)
class Bounded:
    text: str
    dropped: bool  # some words were left out (too short, too common, too long, or past MAX_TERMS)


def bound_query(query: str) -> Bounded:
    """Words only, within the bounds above: quotes, brackets and operators mean something to FTS5 and tsquery,
    and members mean none of it."""
    words = re.findall(r"\w+", (query or "")[:MAX_QUERY].lower())
    kept: list[str] = []
    for word in words:
        if MIN_TERM <= len(word) <= MAX_TERM and word not in STOP_WORDS and word not in kept:
            kept.append(word)
    dropped = len(kept) > MAX_TERMS or len(kept) < len(words) or len(query or "") > MAX_QUERY
    return Bounded(text=" ".join(kept[:MAX_TERMS]), dropped=dropped)


def clean_query(query: str) -> str:
    return bound_query(query).text


def check_search_rate(user) -> None:
    """Count one search for `user` in the current minute; raise SearchLimited past the limit."""
    limit = getattr(settings, "FORUM_SEARCHES_PER_MINUTE", SEARCHES_PER_MINUTE)
    key = f"forum:search:{user.pk}"
    cache.add(key, 0, timeout=60)  # the window opens with the first search and closes a minute later
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add and incr
        cache.add(key, 1, timeout=60)
        count = 1
    if count > limit:
        raise SearchLimited(
            "You've searched a lot in the last minute, so searching is paused for a moment. "
            "Please try again in a minute; your results will be here."
        )


def search_for_page(request, query: str) -> list[Post]:
    """The search page's results: bounded, rate-limited per member, and telling the member (through messages)
    when words were left out or the limit was reached."""
    bounded = bound_query(query)
    if bounded.dropped:
        kept = f"“{bounded.text}”" if bounded.text else "nothing"
        messages.info(
            request,
            f"Searched for {kept}. Search uses up to {MAX_TERMS} words of {MIN_TERM} or more letters "
            "and skips very common words such as “the” and “and”.",
        )
    if not bounded.text:
        return []
    try:
        check_search_rate(request.user)
    except SearchLimited as exc:
        messages.warning(request, str(exc))
        return []
    return search_posts(request.user, bounded.text)


def index_post(post: Post) -> None:
    get_search_backend().add(post)


# How many of the best matches are checked against what the member may see before looking further.
CANDIDATES = 200


def search_posts(user, query: str, *, limit: int = 50) -> list[Post]:
    """Posts the member may see that match `query`, best first (at most `limit`).

    The index is asked first for the best CANDIDATES matches over the whole forum, and only those are checked
    against `visible_posts_for`, so the cost grows with the number of matches rather than with the forum. The
    search library's own query on SQLite ranks through a subquery run once for every post the member may see
    (53 s for two common words on 22,000 posts); on PostgreSQL this shape took about a third off the database's
    time, as the access rules are checked for 200 posts instead of every match. A member who may see fewer than
    `limit` of the best matches (a teen searching words the adult categories are full of) gets the exact answer
    from a second pass over all the matches, with the same order and the same access rules.
    """
    query = clean_query(query)
    if not query:
        return []
    backend = get_search_backend()
    sqlite = _uses_sqlite_fts(backend)
    ranked = _ranked_post_ids(query, limit=CANDIDATES) if sqlite else _best_matches(backend, query, CANDIDATES)
    seen = set(visible_posts_for(user).filter(pk__in=ranked).values_list("pk", flat=True))
    if len(seen) >= limit or len(ranked) < CANDIDATES:
        results = _posts_in_order(user, [pk for pk in ranked if pk in seen][:limit])
    elif sqlite:
        results = _posts_in_order(user, _all_visible_sqlite(user, query)[:limit])
    else:
        results = _search_with_backend(backend, user, query, limit)
    # The backends rank by word statistics over the whole entry; a topic whose title matches is what a member
    # most likely looks for, so those opening posts come first (a stable sort keeps the backend's order within).
    terms = _terms(query)
    results.sort(key=lambda post: not (post.position == 1 and _mentions_any(post.topic.title, terms)))
    return results


def _uses_sqlite_fts(backend) -> bool:
    # The SQLite classes exist only when the database is SQLite (and FTS5 is there: else the library falls back
    # to LIKE), so they are imported only then.
    if connection.vendor != "sqlite":
        return False
    from wagtail.search.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return isinstance(backend, SQLiteSearchBackend)


def _best_matches(backend, query: str, n: int) -> list[int]:
    """The library's ranking over all posts, ids only (on PostgreSQL: ts_rank over the index entries)."""
    return [post.pk for post in backend.search(query, Post.objects.only("pk"), operator="and")[:n]]


def _search_with_backend(backend, user, query: str, limit: int) -> list[Post]:
    """The library's own query with the member's access applied inside it: exact, at a cost that grows with the
    forum (on PostgreSQL every index entry is read), so only for the second pass."""
    allowed = Post.objects.filter(pk__in=visible_posts_for(user).values("pk")).select_related(
        "topic__category", "author"
    )
    return list(backend.search(query, allowed, operator="and")[:limit])


def _all_visible_sqlite(user, query: str) -> list[int]:
    """The second pass on SQLite: every match in order, then which of them the member may see (the index's
    matches drive the lookup of posts, so this reads each matching post once and no other)."""
    ranked = _ranked_post_ids(query)
    sql, params = _match_sql(query, ranked=False)
    seen = set(visible_posts_for(user).filter(pk__in=RawSQL(sql, params)).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in seen]


def _posts_in_order(user, ranked: list[int]) -> list[Post]:
    # Only the posts shown are loaded with their topic, category and author: loading all the candidates took
    # most of the search's time. The access rules are applied again, as they cost nothing on these few.
    found = visible_posts_for(user).filter(pk__in=ranked).select_related("topic__category", "author").in_bulk()
    return [found[pk] for pk in ranked if pk in found]


def _ranked_post_ids(query: str, *, limit: int | None = None) -> list[int]:
    sql, params = _match_sql(query, ranked=True)
    if limit is not None:
        sql, params = f"{sql} LIMIT %s", [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _match_sql(query: str, *, ranked: bool) -> tuple[str, list]:
    """Post ids matching every word of `query` (already bounded by bound_query), best first when `ranked`.

    The MATCH string and the score are written as the library writes them, so that ties and rounding order the
    posts exactly as before: bm25 times the entry's title weight plus bm25, lower is better, newer first within
    a tie. Each word goes in double quotes (any quote in it doubled), so FTS5 reads it as a plain word and never
    as an operator or a column name. CROSS JOIN makes SQLite start from the FTS5 matches: left to itself, inside
    the second pass, it walked every index entry and asked FTS5 about each.
    """
    from wagtail.search.models import IndexEntry, SQLiteFTSIndexEntry

    fts = SQLiteFTSIndexEntry._meta.db_table
    entries = IndexEntry._meta.db_table
    words = query.split()
    words = words[-1:] + words[:-1]  # the library puts the last word first
    match = "{title body} : (" + " AND ".join('"' + word.replace('"', '""') + '"' for word in words) + ")"
    post_id = "CAST(e.object_id AS INTEGER)"
    sql = (
        f"SELECT {post_id} FROM {fts} f CROSS JOIN {entries} e ON e.id = f.rowid "
        f"WHERE {fts} MATCH %s AND e.content_type_id = %s"
    )
    if ranked:
        sql += f" ORDER BY (bm25({fts}) * e.title_norm) + (bm25({fts}) * 1.0), {post_id} DESC"
    return sql, [match, ContentType.objects.get_for_model(Post).pk]


def _mentions_any(text: str, terms: list[str]) -> bool:
    words = re.findall(r"\w+", text.lower())
    return any(word.startswith(term) for word in words for term in terms)


def _terms(query: str) -> list[str]:
    return bound_query(query).text.split()


def _stem(term: str) -> str:
    """A rough English stem for marking matches in snippets: the backends stem properly when matching ("routines"
    finds "routine"), and the mark must then still find the word, so "routines" marks "routine" too."""
    for suffix in ("ing", "es", "ed", "s"):
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def highlight(text: str, query: str, *, length: int = SNIPPET_CHARS) -> SafeString:
    """A snippet of plain `text` around the first match, escaped first and then marked, so nothing can slip in."""
    text = " ".join(text.split())
    terms = [_stem(term) for term in _terms(query)]
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
