"""Production settings, run as production runs them: in a separate process with only the environment it gets."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "community.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8!vR2#mW5$tY7&uI9*oP1@aS3^dF6(gH4)jK0" * 2,
    "ALLOWED_HOSTS": "testserver,community.example.org",
    "SITE_URL": "https://community.example.org",
    # An in-memory database: the health check must not leave a database file in the clone.
    "DATABASE_URL": "sqlite://:memory:",
    "PATH": "/usr/bin:/bin",
}


def _run(code: str, **env) -> subprocess.CompletedProcess:
    script = "import django, json; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**BASE_ENV, **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_site_url():
    env = {k: v for k, v in BASE_ENV.items() if k != "SITE_URL"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Set the SITE_URL environment variable" in result.stderr


def test_links_in_emails_use_the_site_url():
    result = _run(
        "from django.conf import settings; print(json.dumps([settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL]))",
        SITE_URL="https://community.example.org/",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["https://community.example.org", "https://community.example.org"]


def test_health_check_answers_plain_http_while_pages_are_sent_to_https():
    code = """
from django.test import Client
c = Client()
print(json.dumps([c.get("/healthz").status_code, c.get("/help/").status_code, c.get("/help/")["Location"]]))
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr
    healthz, help_status, help_location = json.loads(result.stdout)
    assert healthz in (200, 503)  # answered, not redirected (the in-memory database has no tables; that is fine)
    assert help_status == 301 and help_location.startswith("https://")
