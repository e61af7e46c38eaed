"""Template twins of forum.permissions, so templates show only the buttons that will work."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from forum import permissions

register = template.Library()


@register.filter
def editable_by(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def removable_by(post, user) -> bool:
    return permissions.can_remove_own_post(user, post)


@register.filter
def reportable_by(post, user) -> bool:
    return permissions.can_report_post(user, post)


@register.filter
def history_visible_to(post, user) -> bool:
    return permissions.can_see_history(user, post)


@register.inclusion_tag("forum/includes/crisis_note.html")
def composer_crisis_note():
    return {}


@register.filter
def ago(moment) -> str:
    """ "just now", or "5 minutes ago": "0 minutes ago" reads like a glitch."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment)} ago"


# A post's reactions repeat the same small markup four times for each of 20 posts on a topic page; written as
# template loops, they were the largest part of the page's rendering. These build it in one call per post, for the
# topic page and for the part htmx swaps in after a reaction (forum/includes/reactions.html).

_BUTTON = (
    '<button type="submit" id="react-{}-{}" name="reaction" value="{}{}" class="reaction{}" '
    'aria-pressed="{}">{}{}</button>'
)


@register.simple_tag(takes_context=True)
def reactions(context, post) -> SafeString:
    """A post's reactions: buttons in a form that htmx swaps in place (a plain form post without JavaScript), or
    only who reacted for a member who may not react now. Needs `here` (the page's address) and `csrf_input`."""
    if context["user"].is_read_only:
        return format_html(
            '<div class="reactions" role="group" aria-label="Reactions to post {}">{}</div>',
            post.position,
            who_reacted(post),
        )
    return format_html(
        '<form method="post" action="{}react/" hx-post="{}react/" hx-swap="outerHTML">{}\n'
        '<input type="hidden" name="next" value="{}#post-{}">\n'
        '<div class="reactions" role="group" aria-label="Reactions to post {}">\n{}\n{}</div>\n</form>',
        post.url,
        post.url,
        context["csrf_input"],
        context["here"],
        post.position,
        post.position,
        reaction_buttons(post),
        who_reacted(post),
    )


@register.simple_tag
def reaction_buttons(post) -> SafeString:
    """One button per kind: pressed if the member gave it (pressing again takes it back), with its count."""
    return format_html_join(
        "\n",
        _BUTTON,
        (
            (
                post.pk,
                r.kind,
                "-" if r.mine else "+",
                r.kind,
                " mine" if r.mine else "",
                "true" if r.mine else "false",
                r.label,
                format_html(' <span class="count">{}</span>', r.count) if r.count else "",
            )
            for r in post.reaction_summary
        ),
    )


@register.simple_tag
def who_reacted(post) -> SafeString:
    """The names behind each kind given, kind by kind."""
    return format_html_join(
        "",
        '<p class="who-reacted">{}: {}</p>',
        ((r.label, ", ".join(r.names)) for r in post.reaction_summary if r.count),
    )
