"""Documents attached to resource pages follow the privacy of the pages that use them."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from members.models import Role
from tests.factories import UserFactory, enable_totp, programme_group

from .conftest import publish, restrict_to_programmes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_on_disk(settings, tmp_path):
    # Wagtail serves a document from a file path; the test settings keep files in memory, which has none.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _document(title: str):
    document = get_document_model()(title=title)
    document.file.save(f"{title.lower().replace(' ', '-')}.txt", ContentFile(b"plan"), save=False)
    document.save()
    return document


@pytest.fixture
def page_with(index, django_capture_on_commit_callbacks):
    def make(title: str, document):
        # Wagtail indexes what a page uses in a task queued after commit (the worker, in production).
        with django_capture_on_commit_callbacks(execute=True):
            return publish(index, title, body=[("document", {"document": document, "description": "A plan"})])

    return make


def _url(document) -> str:
    return f"/documents/{document.pk}/{document.filename}"


def test_a_teen_pages_document_reaches_teens_only(page_with, client_for, teen_member, member):
    document = _document("Teen exam plan")
    restrict_to_programmes(page_with("Exam stress", document), "teen-group")
    assert client_for(member).get(_url(document)).status_code == 404
    response = client_for(teen_member).get(_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"plan"


def test_a_programme_groups_document_reaches_its_members(page_with, client_for, member, member2):
    document = _document("Dual diagnosis plan")
    restrict_to_programmes(page_with("Dual diagnosis space", document), "dual-diagnosis")
    member2.programme_memberships.create(group=programme_group("dual-diagnosis"))
    assert client_for(member).get(_url(document)).status_code == 404
    assert client_for(member2).get(_url(document)).status_code == 200


def test_a_document_on_an_open_page_reaches_every_member_and_an_unused_one_only_staff(page_with, client_for, member):
    shared = _document("Coping card")
    page_with("Coping", shared)
    assert client_for(member).get(_url(shared)).status_code == 200
    unused = _document("Draft handout")
    assert client_for(member).get(_url(unused)).status_code == 404
    staff = UserFactory(display_name="Dana team", roles=[Role.MEMBER, Role.STAFF])
    enable_totp(staff)
    assert client_for(staff).get(_url(unused)).status_code == 200
