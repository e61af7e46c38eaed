def test_member_sees_home(member_client, member):
    response = member_client.get("/")
    assert response.status_code == 200
    assert member.display_name in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_help_is_public(client, db):
    response = client.get("/help/")
    assert response.status_code == 200
    assert "988" in response.content.decode()
