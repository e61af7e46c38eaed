"""@mentions in chat: the members' syntax (members.mentions), shown in bold since chat has no profile links."""

from members.markup import render_markdown
from members.mentions import Rendered, markdown_name, render_with_mentions

MAX_MENTIONS = 10


def render_message(text: str, room) -> Rendered:
    """Markdown to sanitised HTML; mentions of members who may enter the room are emphasised and returned.

    A private room has no mentions: its two participants read every message anyway, and the audience check that
    finds mentioned members would match members outside the conversation."""
    if room.is_private:
        return Rendered(html=render_markdown(text))
    return render_with_mentions(text, room, show=lambda user: f"**@{markdown_name(user)}**", limit=MAX_MENTIONS)
