import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_response_is_noindex_and_carries_security_headers(client, member_client, db):
    for c, path in ((client, "/accounts/login/"), (client, "/help/"), (member_client, "/"), (client, "/healthz")):
        response = c.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        script_src = re.search(r"script-src ([^;]+)", csp).group(1)
        assert script_src.startswith("'self'") and "'unsafe-inline'" not in script_src
        assert "http" not in csp  # no other host is allowed to serve anything


def test_pages_load_nothing_from_another_host(member_client, client, db):
    for c, path in (
        (member_client, "/"),
        (client, "/accounts/login/"),
        (client, "/accounts/signup/"),
        (client, "/help/"),
        (member_client, "/notifications/"),
    ):
        html = c.get(path).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        assert " on" not in re.sub(r"<[^>]*>", "", "") and not re.search(r"<[^>]+\son[a-z]+=", html), path


def test_robots_txt_disallows_everything(client, db):
    assert client.get("/robots.txt").content.decode() == "User-agent: *\nDisallow: /\n"


def test_deploy_check_is_clean_for_production_settings():
    env = {
        "DJANGO_SETTINGS_MODULE": "community.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zq8!vR2#mW5$tY7&uI9*oP1@aS3^dF6(gH4)jK0" * 2,
        "ALLOWED_HOSTS": "community.example.org",
        "SITE_URL": "https://community.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secrets():
    env = {"DJANGO_SETTINGS_MODULE": "community.settings.production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize("flag", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"])
def test_production_cookies_are_secure(flag, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "community.example.org")
    monkeypatch.setenv("SITE_URL", "https://community.example.org")
    import importlib

    import community.settings.production as production

    importlib.reload(production)
    assert getattr(production, flag) is True
    assert production.SESSION_COOKIE_SAMESITE == "Lax"


def test_only_the_wagtail_admin_allows_inline_script(staff_client, member_client):
    assert "'unsafe-inline'" in staff_client.get("/cms/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in member_client.get("/")["Content-Security-Policy"]
