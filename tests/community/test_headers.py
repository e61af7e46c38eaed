"""Privacy headers: no signed-in page cached on a shared computer, nothing indexed, no device features."""

from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware


def test_every_signed_in_page_is_private_and_not_stored(member_client, staff_client, applicant_client):
    for c, path in (
        (member_client, "/"),
        (member_client, "/forum/"),
        (member_client, "/accounts/email/"),
        (member_client, "/healthz"),
        (member_client, "/no-such-page/"),
        (applicant_client, "/welcome/"),
        (staff_client, "/cms/"),
        (staff_client, "/staff/members/"),
    ):
        response = c.get(path)
        assert response["Cache-Control"] == "private, no-store", (path, response.get("Cache-Control"))


def test_pages_for_visitors_are_not_marked_private(client, db):
    # Nothing personal on them; the sign-in page keeps whatever Django and allauth send.
    assert "private" not in client.get("/help/").get("Cache-Control", "")


def test_every_response_carries_a_restrictive_permissions_policy(client, member_client, db):
    for c, path in ((client, "/accounts/login/"), (client, "/"), (member_client, "/"), (member_client, "/nope/")):
        policy = c.get(path)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy, (path, feature)
        # Security keys (MFA) keep working on the site itself.
        assert "publickey-credentials-get=(self)" in policy


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_are_not_indexed_and_not_private():
    """Static files are answered by WhiteNoise (production, and the browser tests' server) before our middleware."""
    whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponse("not static"))
    response = whitenoise(RequestFactory().get("/static/css/site.css"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")
