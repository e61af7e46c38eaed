"""Member-written Markdown to safe HTML: Python-Markdown renders, nh3 keeps only an allow-list."""

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener ugc"
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render light Markdown; raw HTML in the source is escaped, not passed through."""
    md = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")
    # Escape raw HTML: members write Markdown, never markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return sanitise_html(md.convert(text))
