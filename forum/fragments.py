"""The topic page's posts as HTML, written in Python rather than as template nodes.

Each post's part of the page was about 85 template nodes (header, state lines, body, actions, reactions): 1,700 per
page of 20 posts, and half of the page's CPU time was spent walking them (docs/PERFORMANCE.md, "The topic page").
The same markup built here with string formatting costs a small fraction of that. Every value that comes from a
member or from the database goes through `esc` (the same escaping as the template's autoescape); only the post's
stored HTML, which the Markdown renderer has already sanitised, goes in as it is, as `|safe` did before.

The reactions (`reactions_html`) are shared with the part htmx swaps in after a reaction
(templates/forum/includes/reactions.html, through the `reactions` tag), so that markup has one source.
"""

from dataclasses import dataclass
from html import escape as esc  # what django.utils.html.escape calls, without its lazy-string wrapper per call
from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe

from .models import ContentState


@dataclass(frozen=True)
class PageFacts:
    """What every post on the page needs to know about the reader and the page, worked out once.

    `here` is the page's address with its query (the forms come back to it); `path` the address alone (the block
    link's way back). `csrf_input` is the hidden field, already HTML; `reply_url` is set when the reader may reply
    (then each post offers Quote); `standing_url` is where an author asks for another look at their own post.
    """

    user_id: int
    is_moderator: bool
    read_only: bool
    here: str
    path: str
    csrf_input: str
    reply_url: str | None
    standing_url: str


def posts_html(posts, facts: PageFacts) -> SafeString:
    """The page's posts, each an `<li>` of the post list, in order (posts come from `selectors.posts_on_page`, with
    the addresses, times and permissions of `views._prepare_posts`)."""
    here = esc(facts.here)
    page = {
        "here": here,
        "back": esc(quote(facts.path, safe="/")),
        "csrf": str(facts.csrf_input),
        "quote": esc(facts.reply_url) if facts.reply_url else None,
        "standing": esc(facts.standing_url),
    }
    return mark_safe("".join(_post(post, facts, page) for post in posts))


def _post(post, facts: PageFacts, page: dict) -> str:
    n = post.position
    if post.blocked:
        # A block either way: the post keeps its place (links to later posts still land), nothing of it shows,
        # and the words do not say who blocked whom.
        return (
            f'\n<li class="post collapsed" id="post-{n}">\n'
            '  <p class="placeholder">This post is hidden because of a block.</p>\n</li>\n'
        )
    url = esc(post.url)
    own = post.author_id == facts.user_id
    state = post.state
    parts = [
        f'\n<li class="post state-{esc(state)}" id="post-{n}">\n'
        f'  <article aria-labelledby="post-{n}-by">\n'
        '    <header class="post-head">\n'
        f'      <p class="post-author" id="post-{n}-by"><a href="{esc(post.url_author)}">'
        f"{esc(post.author.display_name)}</a>\n"
        f'        <span class="tenure">member since {post.author_since}</span></p>\n'
        '      <p class="post-meta">\n'
        f'        <a href="{url}" class="permalink" aria-label="Link to post {n}">#{n}</a>\n'
        f'        <time datetime="{esc(post.created_iso)}">{esc(post.created_text)}</time>\n'
    ]
    if post.edited_at:
        if post.can_see_history:
            parts.append(
                f'        <a href="{url}history/" class="edited">edited'
                '<span class="visually-hidden"> (see earlier versions)</span></a>\n'
            )
        else:
            parts.append('        <span class="edited">edited</span>\n')
    parts.append("      </p>\n    </header>\n")
    if state != ContentState.VISIBLE:
        parts.append(_state_line(post, own, page))
        if facts.is_moderator and post.state_reason and not own:
            parts.append(f'    <p class="mod-note">Moderator\'s reason: {esc(post.state_reason)}</p>\n')
    if post.show_body:
        if post.content_warning:
            parts.append(
                '    <details class="content-warning">\n'
                f"      <summary>CW: {esc(post.content_warning)} "
                '<span class="cw-hint">(open to read)</span></summary>\n'
                f'      <div class="post-body">{post.html}</div>\n'
                "    </details>\n"
            )
        else:
            parts.append(f'    <div class="post-body">{post.html}</div>\n')
    if state == ContentState.VISIBLE:
        parts.append(reactions_html(post, read_only=facts.read_only, here=page["here"], csrf_input=page["csrf"]))
        parts.append(_actions(post, url, page))
    if facts.is_moderator:
        parts.append(_mod_tools(post, url, page))
    parts.append("  </article>\n</li>\n")
    return "".join(parts)


def _state_line(post, own: bool, page: dict) -> str:
    """What stands in for a post that is not visible to all: removed, hidden or held, said to its author (with the
    moderator's reason and the way to appeal) or to others."""
    state = post.state
    if state == ContentState.REMOVED:
        if post.removed_by_author:
            return '    <p class="placeholder">This post was removed by the author.</p>\n'
        if own:
            return _moderated_own(post, page)
        return '    <p class="placeholder">This post was removed by a moderator.</p>\n'
    if state == ContentState.HIDDEN:
        if own:
            return _moderated_own(post, page)
        return '    <p class="placeholder">This post is hidden by the moderators while they look at it.</p>\n'
    if state == ContentState.HELD:
        if own:
            return (
                '    <p class="placeholder awaiting-review">Awaiting review: a moderator will look at it soon. '
                "Only you and the moderators can see it for now.</p>\n"
            )
        return (
            '    <p class="placeholder awaiting-review">Held for review: members do not see it until a moderator '
            "approves it.</p>\n"
        )
    return ""


def _moderated_own(post, page: dict) -> str:
    said = (
        "Your post is hidden by the moderators while they look at it."
        if post.state == ContentState.HIDDEN
        else "A moderator removed your post."
    )
    reason = f" Their reason: {esc(post.state_reason)}" if post.state_reason else ""
    return (
        '    <div class="placeholder moderated-own">\n'
        f"      <p>{said}{reason}</p>\n"
        "      <p>If you think this was a mistake, you can "
        f'<a href="{page["standing"]}">ask for another look</a>.</p>\n'
        "    </div>\n"
    )


def _actions(post, url: str, page: dict) -> str:
    n = post.position
    parts = ['    <ul class="post-actions">\n']
    if page["quote"]:
        parts.append(
            f'      <li><a href="{page["quote"]}?quote={post.pk}">Quote'
            f'<span class="visually-hidden"> post {n}</span></a></li>\n'
        )
    parts.append(
        f'      <li><form method="post" action="{url}bookmark/" class="inline">{page["csrf"]}\n'
        f'        <input type="hidden" name="next" value="{page["here"]}#post-{n}">\n'
    )
    if post.bookmarked:
        parts.append(
            '        <button type="submit" class="link-button">Remove bookmark'
            f'<span class="visually-hidden"> from post {n}</span></button>\n'
        )
    else:
        parts.append(
            '        <input type="hidden" name="on" value="1"><button type="submit" class="link-button">Bookmark'
            f'<span class="visually-hidden"> post {n}</span></button>\n'
        )
    parts.append("      </form></li>\n")
    if getattr(post, "can_edit", False):
        parts.append(f'      <li><a href="{url}edit/">Edit<span class="visually-hidden"> post {n}</span></a></li>\n')
    if getattr(post, "can_remove", False):
        parts.append(
            f'      <li><a href="{url}remove/">Remove<span class="visually-hidden"> post {n}</span></a></li>\n'
        )
    if getattr(post, "can_report", False):
        parts.append(
            f'      <li><a href="{esc(post.url_report)}" rel="nofollow">Report'
            f'<span class="visually-hidden"> post {n}</span></a></li>\n'
            f'      <li><a href="/members/{post.author_id}/block/?next={page["back"]}%23post-{n}" rel="nofollow">Block'
            f'<span class="visually-hidden"> the author of post {n}</span></a></li>\n'
        )
    parts.append("    </ul>\n")
    return "".join(parts)


def _mod_tools(post, url: str, page: dict) -> str:
    """Moderators only; a plain form in a disclosure, so it works without JavaScript and stays folded on a
    phone."""
    n, pk, state = post.position, post.pk, post.state
    choices = []
    if state in (ContentState.VISIBLE, ContentState.HELD):
        choices.append(
            '        <label><input type="radio" name="action" value="hide" required> Hide (kept for review)</label>\n'
            '        <label><input type="radio" name="action" value="remove" required> Remove (the author sees your '
            "reason)</label>\n"
        )
    if state != ContentState.VISIBLE:
        label = "Approve and publish" if state == ContentState.HELD else "Restore"
        choices.append(f'        <label><input type="radio" name="action" value="restore" required> {label}</label>\n')
    return (
        '    <details class="mod-tools">\n'
        f'      <summary>Moderate<span class="visually-hidden"> post {n}</span></summary>\n'
        f'      <form method="post" action="{url}moderate/">{page["csrf"]}\n'
        f'        <input type="hidden" name="next" value="{page["here"]}#post-{n}">\n'
        "        <fieldset>\n"
        f"        <legend>What to do with post {n}</legend>\n"
        f"{''.join(choices)}"
        '        <label><input type="radio" name="action" value="content_warning" required> Set a content '
        "warning</label>\n"
        "        </fieldset>\n"
        f'        <label for="mod-warning-{pk}">Content warning (only for “Set a content warning”)</label>\n'
        f'        <input type="text" id="mod-warning-{pk}" name="warning" maxlength="200" '
        f'value="{esc(post.content_warning)}">\n'
        f'        <label for="mod-reason-{pk}">Reason (required; kept in the audit log, and the author sees it)'
        "</label>\n"
        f'        <textarea id="mod-reason-{pk}" name="reason" rows="2" maxlength="1000" required></textarea>\n'
        f'        <button type="submit">Apply<span class="visually-hidden"> to post {n}</span></button>\n'
        "      </form>\n"
        "    </details>\n"
    )


# --- reactions ---------------------------------------------------------------------------------------------------


def reactions_html(post, *, read_only: bool, here: str, csrf_input: str) -> str:
    """A post's reactions: buttons in a form that htmx swaps in place (a plain form post without JavaScript), or
    only who reacted for a member who may not react now. `here` is the page's address, already escaped."""
    n = post.position
    if read_only:
        return f'<div class="reactions" role="group" aria-label="Reactions to post {n}">{_who_reacted(post)}</div>'
    url = esc(post.url)
    return (
        f'<form method="post" action="{url}react/" hx-post="{url}react/" hx-swap="outerHTML">{csrf_input}\n'
        f'<input type="hidden" name="next" value="{here}#post-{n}">\n'
        f'<div class="reactions" role="group" aria-label="Reactions to post {n}">\n'
        f"{_reaction_buttons(post)}\n{_who_reacted(post)}</div>\n</form>"
    )


def _reaction_buttons(post) -> str:
    """One button per kind: pressed if the member gave it (pressing again takes it back), with its count."""
    pk = post.pk
    return "\n".join(
        f'<button type="submit" id="react-{pk}-{esc(r.kind)}" name="reaction" '
        f'value="{"-" if r.mine else "+"}{esc(r.kind)}" class="reaction{" mine" if r.mine else ""}" '
        f'aria-pressed="{"true" if r.mine else "false"}">{esc(r.label)}{_count(r.count)}</button>'
        for r in post.reaction_summary
    )


def _count(count: int) -> str:
    return f' <span class="count">{count}</span>' if count else ""


def _who_reacted(post) -> str:
    """The names behind each kind given, kind by kind."""
    return "".join(
        f'<p class="who-reacted">{esc(r.label)}: {esc(", ".join(r.names))}</p>'
        for r in post.reaction_summary
        if r.count
    )
