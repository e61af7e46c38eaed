"""Fixtures for moderation's tests: `things`, a small fake reviewable kind (tests/moderation/fakes.py)."""

from tests.moderation.fakes import things  # noqa: F401
