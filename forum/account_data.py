"""The forum's part of a member's data export and of their account's erasure (members.account_data).

Imported once from ForumConfig.ready(), which registers it. Export: the member's own topics, posts and their
earlier versions, and what they keep (reactions, bookmarks, subscriptions, read state), with what those point at
named by address only (nothing anyone else wrote). Erasure: their words quoted in others' posts and their
@mentions there are taken out, in the posts and in their earlier versions; their bookmarks, subscriptions and
read state go; with `remove_content` their posts are emptied and marked removed, and their topics' titles go.
"""

import re

from django.db.models import Q

from members.account_data import (
    FORMER_MEMBER,
    register_account_data,
    without_mentions,
)

from . import search, services
from .markup import render_post
from .models import Bookmark, ContentState, Post, PostRevision, Reaction, ReadState, Subscription, Topic

REDACTED_QUOTE = "> [quote from a former member removed]"
REMOVED_REASON = "Removed when the member closed their account."
ERASED_TOPIC_TITLE = "A topic by a former member"
# The head of a quote as forum.forms.quote_text writes it: > **Name** [wrote](/forum/p/12/):
QUOTE_HEAD = re.compile(r"^> \*\*(?P<name>.+?)\*\* \[wrote\]\((?P<url>[^)\s]*?(?P<pk>\d+)/?)\):\s*$")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_member_data(user) -> dict:
    posts = Post.objects.filter(author=user).select_related("topic").order_by("created_at", "pk")
    return {
        "topics": [
            {
                "title": t.title,
                "address": t.get_absolute_url(),
                "category": t.category.name,
                "started_at": _iso(t.created_at),
                "state": t.get_state_display(),
            }
            for t in Topic.objects.filter(author=user).select_related("category").order_by("created_at", "pk")
        ],
        "posts": [
            {
                "address": p.get_absolute_url(),
                "topic": p.topic.get_absolute_url(),
                "written_at": _iso(p.created_at),
                "edited_at": _iso(p.edited_at),
                "state": p.get_state_display(),
                "content_warning": p.content_warning,
                "text": p.body,
            }
            for p in posts
        ],
        "earlier_versions_of_posts": [
            {
                "post": r.post.get_absolute_url(),
                "version": r.number,
                "written_at": _iso(r.written_at),
                "content_warning": r.content_warning,
                "text": r.body,
            }
            for r in PostRevision.objects.filter(post__author=user).select_related("post").order_by("post_id", "number")
        ],
        "reactions": [
            {"post": r.post.get_absolute_url(), "reaction": r.get_kind_display(), "at": _iso(r.created_at)}
            for r in Reaction.objects.filter(user=user).select_related("post").order_by("created_at", "pk")
        ],
        "bookmarks": [
            {"post": b.post.get_absolute_url(), "at": _iso(b.created_at)}
            for b in Bookmark.objects.filter(user=user).select_related("post")
        ],
        "subscriptions": [
            {
                "topic": s.topic.get_absolute_url() if s.topic_id else None,
                "category": s.category.name if s.category_id else None,
                "level": s.get_level_display(),
            }
            for s in Subscription.objects.filter(user=user).select_related("topic", "category").order_by("pk")
        ],
        "read_up_to": [
            {"topic": r.topic.get_absolute_url(), "post_number": r.last_read_position}
            for r in ReadState.objects.filter(user=user).select_related("topic").order_by("pk")
        ],
    }


def without_quotes_of(text: str, *, post_ids: set[int], name: str) -> str:
    """`text` with each quote of one of `post_ids` (or headed with `name`) replaced by one line saying so.

    A quote is its head line and the lines after it that start with ">" (forum.forms.quote_text).
    """
    if "[wrote](" not in text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        head = QUOTE_HEAD.match(lines[i])
        if head and (
            int(head.group("pk")) in post_ids or head.group("name").replace("\\_", "_").lower() == name.lower()
        ):
            kept.append(REDACTED_QUOTE)
            i += 1
            while i < len(lines) and lines[i].startswith(">"):
                i += 1
            continue
        kept.append(lines[i])
        i += 1
    return "\n".join(kept)


def _name_variants_q(field: str, name: str) -> Q:
    """Texts that may name the member: as written, as a bare @mention (underscores) or as a quote head (escaped)."""
    q = Q()
    for variant in {name, name.replace(" ", "_"), name.replace("_", "\\_")}:
        q |= Q(**{f"{field}__icontains": variant})
    return q


def _redact(text: str, *, post_ids: set[int], name: str) -> str:
    return without_mentions(without_quotes_of(text, post_ids=post_ids, name=name), name, FORMER_MEMBER)


def _redact_others_posts(user, *, post_ids: set[int]) -> None:
    """Take the member's words and name out of what others wrote: quotes of their posts, @mentions of them."""
    name = user.display_name
    others = Post.objects.exclude(author=user).select_related("topic__category")
    for post in others.filter(Q(quoted_post__author=user) | _name_variants_q("body", name)):
        body = _redact(post.body, post_ids=post_ids, name=name)
        if body != post.body:
            post.body = body
            post.html = render_post(body, post.topic.category).html
            post.save(update_fields=["body", "html"])
            search.index_post(post)
    revisions = PostRevision.objects.exclude(post__author=user)
    for revision in revisions.filter(Q(post__quoted_post__author=user) | _name_variants_q("body", name)):
        body = _redact(revision.body, post_ids=post_ids, name=name)
        if body != revision.body:
            revision.body = body
            revision.save(update_fields=["body"])


def _remove_own_content(user) -> None:
    """Empty the member's posts and mark them removed by their author; their topics stay for others' replies,
    under a neutral title, and leave the lists when nobody else wrote in them."""
    posts = list(Post.objects.filter(author=user).select_related("topic__category"))
    PostRevision.objects.filter(post__author=user).delete()
    Reaction.objects.filter(user=user).delete()
    Post.objects.filter(author=user).update(
        body="",
        html="",
        content_warning="",
        state=ContentState.REMOVED,
        state_changed_by=user,
        state_reason=REMOVED_REASON,
    )
    own_topics = Topic.objects.filter(author=user)
    own_topics.update(title=ERASED_TOPIC_TITLE)
    own_topics.exclude(posts__in=Post.objects.exclude(author=user)).update(state=ContentState.REMOVED)
    topics = {post.topic_id: post.topic for post in posts}
    topics.update({topic.pk: topic for topic in own_topics.select_related("category")})
    for topic in topics.values():
        topic.refresh_from_db()
        services.refresh_topic_stats(topic=topic)
    for category in {topic.category for topic in topics.values()}:
        services.refresh_category_stats(category=category)
    for post in Post.objects.filter(author=user).select_related("topic"):
        search.index_post(post)


def erase_member_data(user, remove_content: bool) -> None:
    post_ids = set(Post.objects.filter(author=user).values_list("pk", flat=True))
    _redact_others_posts(user, post_ids=post_ids)
    Bookmark.objects.filter(user=user).delete()
    Subscription.objects.filter(user=user).delete()
    ReadState.objects.filter(user=user).delete()
    if remove_content:
        _remove_own_content(user)


register_account_data("forum", export=export_member_data, erase=erase_member_data)
