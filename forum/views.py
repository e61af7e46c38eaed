import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from members.audience import audience_choice_error, audience_q
from members.http import int_param
from members.permissions import can_moderate, staff_required
from moderation.services import ItemError, act_on_target

from . import fragments, permissions, selectors, services
from .forms import (
    CategoryForm,
    EditPostForm,
    PostModerationForm,
    ReactionForm,
    ReplyForm,
    SearchForm,
    SubscriptionForm,
    TopicForm,
    TopicModerationForm,
    quote_text,
)
from .markup import html_to_text
from .models import POSTS_PER_PAGE, TOPICS_PER_PAGE, Category, ContentState, Subscription
from .search import highlight, search_for_page
from .services import EditConflict, ForumError

# A one-time mark in the writer's own session: the page they land on after posting crisis language shows them
# the help box (privately: nothing about it is stored on the post or shown to anyone else).
CRISIS_HELP_SESSION_KEY = "forum_crisis_help"
HELD_MESSAGE = (
    "Thank you for writing. Awaiting review: a moderator will look at it soon, and until then only you can see it."
)


def _after_writing(request, decision) -> None:
    if decision.crisis:
        request.session[CRISIS_HELP_SESSION_KEY] = True
    if decision.hold:
        messages.info(request, HELD_MESSAGE)


def _refused(request, exc: PermissionDenied):
    """A kind page for a write that is not open to this member (a read-only member is shown where to see why)."""
    return render(request, "forum/refused.html", {"reason": str(exc)}, status=403)


def _page_number(request) -> int:
    return int_param(request.GET, "page", default=1, minimum=1)


def _page_links(current: int, last: int) -> list[int | None]:
    """First, last and the pages around the current one; None marks a gap (a 1,000-post topic has 50 pages)."""
    wanted = {1, last, *range(current - 2, current + 3)}
    links: list[int | None] = []
    for n in sorted(p for p in wanted if 1 <= p <= last):
        if links and links[-1] is not None and n - links[-1] > 1:
            links.append(None)
        links.append(n)
    return links


def _address_maker(name: str, *args):
    """A function from an object's id to its address, from a single reverse() for the whole page.

    A page of 20 posts needs 60 addresses; reverse() each time was 5% of the page's time. The patterns involved
    (forum/urls.py, moderation's report) take the id as a plain integer, so the id can be put in its place.
    """
    marker = "987654321"
    head, tail = reverse(name, args=[*args, int(marker)]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _prepare_posts(user, posts) -> None:
    """What each post's part of the page shows, worked out here once rather than through filters and nested
    template tags for every post (a profile of the topic page had 39% of its time in templates, 32% in the
    per-post include): its addresses, its time in the member's zone, the actions open to the member.

    The sub-addresses (edit/, react/, ...) are fixed in forum/urls.py; a test renders every one of them.
    """
    post_url = _address_maker("forum:post")
    report_url = _address_maker("moderation_member:report", "post")
    member_url = _address_maker("forum:member")
    since: dict[int, int] = {}
    for post in posts:
        post.url = post_url(post.pk)
        post.url_report = report_url(post.pk)
        post.url_author = member_url(post.author_id)
        if post.author_id not in since:
            since[post.author_id] = post.author.member_since
        post.author_since = since[post.author_id]
        post.created_iso, post.created_text = _time_texts(post.created_at)
        post.can_see_history = bool(post.edited_at) and permissions.can_see_history(user, post)
        if post.state == ContentState.VISIBLE:
            post.can_edit = permissions.can_edit_post(user, post)
            post.can_remove = permissions.can_remove_own_post(user, post)
            post.can_report = permissions.can_report_post(user, post)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _time_texts(moment) -> tuple[str, str]:
    """`moment` in the member's zone as the `date` filter writes it with "c" and with "M j, Y, g:i a" (a test
    compares them), at a fraction of its cost: the site speaks English only."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    half = "p.m." if local.hour > 11 else "a.m."
    return local.isoformat(), f"{_MONTHS[local.month - 1]} {local.day}, {local.year}, {hour}:{local.minute:02d} {half}"


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def index(request):
    return render(request, "forum/index.html", {"categories": selectors.category_list_for(request.user)})


def category(request, slug: str):
    category = selectors.category_for(request.user, slug)
    page = Paginator(selectors.CategoryTopics(request.user, category), TOPICS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Topics waiting for review (the member's own held ones; for moderators, held and hidden ones) head page 1.
    rows = (
        [*selectors.waiting_topics(request.user, category), *page.object_list] if page.number == 1 else page.object_list
    )
    selectors.mark_topic_rows(request.user, rows)
    return render(
        request,
        "forum/category.html",
        {
            "category": category,
            "page": page,
            "rows": rows,
            "can_start": permissions.can_start_topic(request.user, category),
            "level": selectors.subscription_level(request.user, category=category),
            "levels": Subscription.Level.choices,
        },
    )


def topic_new(request, slug: str):
    category = selectors.category_for(request.user, slug)
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "GET" and not permissions.can_start_topic(request.user, category):
        return render(request, "forum/topic_new.html", {"category": category, "closed": True}, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            permissions.check_start_topic(request.user, category)
            topic = services.create_topic(category=category, author=request.user, **form.cleaned_data)
        except (ForumError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
            status = 403 if isinstance(exc, PermissionDenied) else 400
        else:
            if not topic.decision.hold:
                messages.success(request, "Your topic is up. You're watching it, so you'll hear about replies.")
            _after_writing(request, topic.decision)
            return redirect(topic)
    elif request.method == "POST":
        status = 400
    return render(request, "forum/topic_new.html", {"category": category, "form": form}, status=status)


def topic(request, pk: int):
    user = request.user
    topic = selectors.topic_for(user, pk)
    page = min(_page_number(request), topic.page_count)
    posts = selectors.posts_on_page(user, topic, page)
    _prepare_posts(user, posts)
    read_before = topic.read_position
    first_unread = None
    if selectors.is_unread(user, topic):
        first_unread = (read_before or 0) + 1
    if posts:
        services.mark_topic_read(user=user, topic=topic, position=posts[-1].position, known=read_before)
    reply_form = _empty_reply_form() if permissions.can_reply(user, topic) else None
    reply_url = reverse("forum:reply", args=[topic.pk])
    is_moderator = can_moderate(user)
    csrf = _csrf_once(request)
    facts = fragments.PageFacts(
        user_id=user.pk,
        is_moderator=is_moderator,
        read_only=user.is_read_only,
        here=request.get_full_path(),
        path=request.path,
        csrf_input=csrf["csrf_input"],
        reply_url=reply_url if reply_form else None,
        standing_url=reverse("moderation_member:standing"),
    )
    return render(
        request,
        "forum/topic.html",
        {
            "topic": topic,
            "category": topic.category,
            "posts": posts,
            # Each post's markup, written in Python (forum/fragments.py): as template nodes it was half the page's time.
            "posts_html": fragments.posts_html(posts, facts),
            "page": page,
            "pages": _page_links(page, topic.page_count),
            "first_unread": first_unread,
            "first_unread_page": (first_unread - 1) // POSTS_PER_PAGE + 1 if first_unread else None,
            "reply_form": reply_form,
            "level": topic.my_level or Subscription.Level.NORMAL,
            "levels": Subscription.Level.choices,
            "is_moderator": is_moderator,
            # Only moderators get the move list (one query); members' pages keep their pinned query count.
            "move_choices": selectors.move_choices_for(user, topic) if is_moderator else [],
            "crisis_help": request.session.pop(CRISIS_HELP_SESSION_KEY, False),
            "can_write": permissions.can_write(user),
            # The page's forms (two for each post) share one token and one rendering of the CSRF field.
            **csrf,
        },
    )


@functools.cache
def _empty_reply_form() -> str:
    """The topic page's reply form, blank: the same markup on every page, for every reader (the CSRF field and the
    draft key are outside it, in topic.html), so it is rendered once per process rather than on every view."""
    return render_to_string("includes/form.html", {"form": ReplyForm()})


def _csrf_once(request) -> dict:
    """The CSRF token once for the page (`{% csrf_token %}` reads `csrf_token` from the context; the view's value
    comes before the context processor's) and its hidden field, for the forms repeated on every post."""
    token = get_token(request)
    field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    return {"csrf_token": token, "csrf_input": field}


def reply(request, pk: int):
    user = request.user
    topic = selectors.topic_for(user, pk)
    quoted = None
    if request.method == "POST":
        form = ReplyForm(request.POST)
    else:
        initial = {}
        quote_pk = int_param(request.GET, "quote")
        if quote_pk is not None:
            quoted = selectors.post_for(user, quote_pk)
            if quoted.topic_id == topic.pk and quoted.state == "visible":
                initial = {
                    "body": quote_text(quoted),
                    "quoted_post": quoted.pk,
                    "content_warning": quoted.content_warning,
                }
        form = ReplyForm(initial=initial)
    status = 200
    try:
        permissions.check_reply(user, topic)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return render(request, "forum/reply.html", {"topic": topic, "form": form, "closed": True}, status=403)
    if request.method == "POST":
        if form.is_valid():
            quoted_pk = form.cleaned_data.pop("quoted_post")
            quoted = selectors.post_for(user, quoted_pk) if quoted_pk else None
            try:
                post = services.create_reply(topic=topic, author=user, quoted_post=quoted, **form.cleaned_data)
            except ForumError as exc:
                form.add_error(None, str(exc))
            else:
                _after_writing(request, post.decision)
                return redirect(post)
        status = 400
    return render(request, "forum/reply.html", {"topic": topic, "form": form}, status=status)


def post_permalink(request, pk: int):
    post = selectors.post_for(request.user, pk)
    url = reverse("forum:topic", args=[post.topic_id])
    if post.page > 1:
        url += f"?page={post.page}"
    return redirect(f"{url}#post-{post.position}")


def post_edit(request, pk: int):
    user = request.user
    post = selectors.post_for(user, pk)
    try:
        permissions.check_edit_post(user, post)
    except PermissionDenied as exc:
        return _refused(request, exc)
    conflict = None
    status = 200
    if request.method == "POST":
        form = EditPostForm(request.POST)
        if form.is_valid():
            try:
                edited = services.edit_post(post=post, editor=user, **form.cleaned_data)
            except EditConflict as exc:
                conflict = exc.post
                # Keep the member's text in the form, now based on the newer revision, so a second save is
                # a deliberate choice made after seeing the newer text.
                data = request.POST.copy()
                data["base_revision"] = str(conflict.revision)
                form = EditPostForm(data)
                form.is_valid()
                form.add_error(None, str(exc))
                status = 409
            except ForumError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                if not edited.decision.hold:
                    messages.success(request, "Your changes are saved.")
                _after_writing(request, edited.decision)
                return redirect(post)
        else:
            status = 400
    else:
        form = EditPostForm(
            initial={"body": post.body, "content_warning": post.content_warning, "base_revision": post.revision}
        )
    return render(request, "forum/post_edit.html", {"post": post, "form": form, "conflict": conflict}, status=status)


def post_remove(request, pk: int):
    user = request.user
    post = selectors.post_for(user, pk)
    permissions.check_remove_own_post(user, post)
    if request.method == "POST":
        services.remove_own_post(post=post, actor=user)
        messages.success(request, "Your post is removed. It now shows “removed by the author”.")
        return redirect(post)
    return render(request, "forum/post_remove.html", {"post": post})


def post_history(request, pk: int):
    post = selectors.post_for(request.user, pk)
    permissions.check_see_history(request.user, post)
    return render(request, "forum/post_history.html", {"post": post, "revisions": selectors.revisions_for(post)})


@require_POST
def post_react(request, pk: int):
    post = selectors.post_for(request.user, pk)
    try:
        permissions.check_react(request.user, post)
    except PermissionDenied as exc:
        return _refused(request, exc)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That reaction isn't one we offer.")
    elif form.on:
        services.add_reaction(post=post, user=request.user, kind=form.kind)
    else:
        services.remove_reaction(post=post, user=request.user, kind=form.kind)
    if request.htmx:
        # Only this post's reactions are redrawn; focus stays on the pressed button (same id).
        selectors.attach_reactions(request.user, [post])
        post.url = post.get_absolute_url()
        here = request.POST.get("next", "").split("#")[0] or post.url
        return render(request, "forum/includes/reactions.html", {"post": post, "here": here, **_csrf_once(request)})
    return _back(request, post.get_absolute_url())


@require_POST
def post_bookmark(request, pk: int):
    post = selectors.post_for(request.user, pk)
    permissions.check_bookmark(request.user, post)
    if request.POST.get("on") == "1":
        services.add_bookmark(post=post, user=request.user)
        messages.success(request, "Bookmarked. You'll find it under Bookmarks.")
    else:
        services.remove_bookmark(post=post, user=request.user)
        messages.success(request, "Bookmark removed.")
    return _back(request, post.get_absolute_url())


@require_POST
def topic_subscription(request, pk: int):
    topic = selectors.topic_for(request.user, pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.set_subscription(user=request.user, topic=topic, level=form.cleaned_data["level"])
        messages.success(request, _level_message(form.cleaned_data["level"], "topic"))
    return redirect(topic)


@require_POST
def category_subscription(request, slug: str):
    category = selectors.category_for(request.user, slug)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.set_subscription(user=request.user, category=category, level=form.cleaned_data["level"])
        messages.success(request, _level_message(form.cleaned_data["level"], "category"))
    return redirect(category)


def _level_message(level: str, what: str) -> str:
    return {
        Subscription.Level.WATCHING: f"You're watching this {what}; we'll let you know about new posts.",
        Subscription.Level.NORMAL: f"You'll hear from this {what} only when someone mentions you.",
        Subscription.Level.MUTED: f"This {what} is muted; it won't send you notifications.",
    }[level]


def bookmarks(request):
    return render(request, "forum/bookmarks.html", {"bookmarks": selectors.bookmarks_for(request.user)[:200]})


def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = []
    if query:
        for post in search_for_page(request, query):  # bounded, rate-limited, says what it left out
            post.snippet = highlight(html_to_text(post.html), query)
            post.title_marked = highlight(post.topic.title, query, length=200)
            results.append(post)
    return render(request, "forum/search.html", {"form": form, "query": query, "results": results})


def member(request, pk: int):
    person = selectors.member_for(request.user, pk)
    return render(
        request, "forum/member.html", {"person": person, "posts": selectors.recent_posts_by(request.user, person)}
    )


# --- moderators: tools on the topic page ---------------------------------------------------------------------

_DONE = {
    "hide": "The post is hidden. Its author sees your reason and can ask for another look.",
    "remove": "The post is removed. Its author sees your reason and can ask for another look.",
    "restore": "The post is visible again.",
    "content_warning": "The content warning is set.",
    "lock": "The topic is locked: replies are closed.",
    "unlock": "The topic is open for replies again.",
    "move": "The topic is moved.",
}


def _moderate(request, *, post, form, fallback: str):
    """One moderator action through moderation's services (the same as the queue's, audited, the author told);
    a refusal changes nothing and says why."""
    if not form.is_valid():
        messages.error(request, "Choose what to do.")
        return _back(request, fallback)
    data = form.cleaned_data
    options = {k: data[k] for k in ("warning", "category_id") if data.get(k) not in (None, "")}
    try:
        act_on_target(
            kind="post", target=post, actor=request.user, action=data["action"], reason=data["reason"], **options
        )
    except ItemError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _DONE[data["action"]])
    return _back(request, fallback)


@require_POST
def post_moderate(request, pk: int):
    permissions.check_moderate_forum(request.user)
    # Through the selector: a moderator not cleared for teen spaces gets 404 for a teen post, as on its page.
    post = selectors.post_for(request.user, pk)
    return _moderate(request, post=post, form=PostModerationForm(request.POST), fallback=post.get_absolute_url())


@require_POST
def topic_moderate(request, pk: int):
    permissions.check_moderate_forum(request.user)
    topic = selectors.topic_for(request.user, pk)
    post = selectors.opening_post_for(request.user, topic)
    return _moderate(request, post=post, form=TopicModerationForm(request.POST), fallback=topic.get_absolute_url())


# --- staff: categories ---------------------------------------------------------------------------


@staff_required
def manage_categories(request):
    # Staff who are not teen-cleared do not see teen categories, not even their names.
    categories = (
        Category.objects.filter(audience_q(request.user, Category))
        .prefetch_related("programme_groups")
        .order_by("position", "name")
    )
    return render(request, "forum/manage/list.html", {"categories": categories})


@staff_required
def manage_category_new(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if error := audience_choice_error(request.user, data["audience"]):
                raise ForumError(error)
            category = services.create_category(actor=request.user, **data)
        except ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The category “{category.name}” is ready.")
            return redirect("forum:manage_categories")
    return render(request, "forum/manage/form.html", {"form": form, "category": None})


@staff_required
def manage_category_edit(request, pk: int):
    category = get_object_or_404(Category.objects.filter(audience_q(request.user, Category)), pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups = data.pop("programme_groups")
        # The form has already copied the values onto the instance; the service compares with the stored row.
        fresh = Category.objects.get(pk=pk)
        try:
            if error := audience_choice_error(request.user, data["audience"]):
                raise ForumError(error)
            services.update_category(category=fresh, actor=request.user, programme_groups=groups, **data)
        except ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The category “{fresh.name}” is saved.")
            return redirect("forum:manage_categories")
    return render(request, "forum/manage/form.html", {"form": form, "category": category})
