"""What the forum's services refuse; each message is shown to the member as is."""

from ..models import Post


class ForumError(Exception):
    """Input the forum refuses; the message is shown to the member as is."""


class EditConflict(ForumError):
    """The post changed after the editor opened it; `post` holds the newer text."""

    def __init__(self, post: Post):
        super().__init__(
            "Someone (perhaps you, in another tab) changed this post since you opened it. "
            "Your changes were not saved; the newer text is shown below."
        )
        self.post = post


class TextRefused(ForumError):
    """Screening refused the text (a `block` watched word); the message is the reason written for the member."""
