import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from tests.forum.factories import make_category

# The configured public address: emails may carry it only inside their links.
BASE_URL = "https://circle.clinic-alumni.example"
HOST = "circle.clinic-alumni.example"
URL = re.compile(r"https?://\S+")


@pytest.fixture
def adult_category(db):
    return make_category(name="Everyday recovery")


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    settings.COMMUNITY_NAME = "Alumni Circle"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the commit (bell updates, email tasks) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def words_of(message) -> str:
    """Subject, text and HTML of an email with its links taken out: what a reader sees besides the links."""
    parts = [message.subject, message.body, *(content for content, _ in getattr(message, "alternatives", []))]
    return URL.sub(" ", "\n".join(parts))


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")
