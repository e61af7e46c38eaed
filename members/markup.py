"""Member-written Markdown to safe HTML: a CommonMark renderer (markdown-it-py), then nh3 keeps only an allow-list.

Why CommonMark: its rules are specified and tested (code fences keep their lines, `*` inside words is not
emphasis), so what a member types reads back the way they meant it. Deliberate departures, all so that text
reads back as typed:
- raw HTML is shown as text, never passed through (members write Markdown, not markup);
- character references are not decoded: a member who types `&lt;` sees `&lt;`, not `<`;
- underscores never make emphasis (`__init__`, `snake_case`, `@Sam_R`); `*italic*` and `**bold**` do;
- `# ` and underlined headings stay plain lines (a post has one heading, its title);
- images are not embedded (no third-party requests); the alt text becomes a link to the image's address;
- a single line break is kept as a line break, as members type in a text box.
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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


def _underscores_are_text(state: StateInline, silent: bool) -> bool:
    """Runs before the emphasis rule: a run of `_` is plain text, so it can neither open nor close emphasis."""
    if state.src[state.pos] != "_":
        return False
    end = state.pos
    while end < state.posMax and state.src[end] == "_":
        end += 1
    if not silent:
        state.pending += state.src[state.pos : end]
    state.pos = end
    return True


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # "html": False escapes raw HTML; "breaks": True turns a single newline into <br>.
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.enable("strikethrough")
    md.disable(["entity", "image", "heading", "lheading"])
    md.inline.ruler.before("emphasis", "underscores_are_text", _underscores_are_text)
    # ~~text~~ comes out as <s>; the allow-list (and the templates' tests) know <del>.
    md.add_render_rule("s_open", lambda self, tokens, idx, options, env: "<del>")
    md.add_render_rule("s_close", lambda self, tokens, idx, options, env: "</del>")
    return md


def render_markdown(text: str) -> str:
    """Render light Markdown (CommonMark) to sanitised HTML."""
    return sanitise_html(_renderer().render(text or "")).strip()
