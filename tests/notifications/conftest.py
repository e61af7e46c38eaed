import pytest

from tests.forum.factories import make_category


@pytest.fixture
def adult_category(db):
    return make_category(name="Everyday recovery")
