"""Database connections under a real Daphne process: bounded in number, and a silent database fails fast.

Persistent connections were kept per thread, and Daphne runs each request on a thread of its own: with
DB_CONN_MAX_AGE=60 about one PostgreSQL connection stayed open per ten requests. Connections now come from a
bounded pool (settings: OPTIONS["pool"]). And with the database black-holed, /healthz and every signed-in page
hung: connecting, waiting for a pooled connection and statements now have timeouts.
"""

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import REQUIRE_SERVICES
from tests.factories import UserFactory
from tests.servers import ROOT, DaphneServer, free_port

# Generous: the point is that an answer comes at all (before the timeouts, none ever did), not how fast.
ANSWER_WITHIN = 15


def _get(url: str, cookie: str = "", timeout: float = ANSWER_WITHIN) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class SilentListener:
    """A "database server" that accepts connections and never says a word, like a black-holed host."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def silent_database():
    listener = SilentListener()
    yield listener
    listener.close()


@pytest.fixture
def server_on_silent_database(silent_database, tmp_path):
    """The site on a PostgreSQL address that never answers (it cannot wait for /healthz to say 200)."""
    port = free_port()
    env = {
        **DaphneServer(log=tmp_path / "unused.log").env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_database.port}/community",
        "REDIS_URL": "",
    }
    log = tmp_path / "daphne.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "community.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"the server did not start:\n{log.read_text()[-3000:]}"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)


def test_healthz_says_503_when_the_database_never_answers(server_on_silent_database, silent_database):
    status, body = _get(server_on_silent_database + "/healthz")
    assert silent_database.held, "the server never tried the silent database"
    assert status == 503
    state = json.loads(body)
    assert state["status"] == "error" and state["database"].startswith("error")
    assert state["channel_layer"] == "ok"


def test_a_signed_in_page_fails_with_an_error_page_when_the_database_never_answers(server_on_silent_database):
    # The session is looked up in the database, as for every signed-in page.
    status, _ = _get(server_on_silent_database + "/forum/", cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
    assert status == 500


# --- the pool on a real PostgreSQL ----------------------------------------------------------------------------

POOL_MAX = 4


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but DATABASE_URL is not a PostgreSQL database")
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def _server_connections(app_name: str) -> int:
    """Connections the server process holds to the test database (libpq names them after PGAPPNAME)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [app_name],
        )
        return cursor.fetchone()[0]


@pytest.mark.services
def test_connection_count_stays_flat_over_a_thousand_requests(postgresql, tmp_path):
    client = Client()
    client.force_login(UserFactory())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    app_name = f"pool-test-{uuid.uuid4().hex[:8]}"
    # DB_CONN_MAX_AGE=60 is what the README used to recommend; it must not bring the pile-up back.
    server = DaphneServer(
        log=tmp_path / "daphne.log",
        env={"DB_POOL_MAX_SIZE": str(POOL_MAX), "DB_CONN_MAX_AGE": "60", "PGAPPNAME": app_name},
    )
    server.start()
    try:
        paths = ["/forum/", "/healthz", "/", "/chat/"]
        counts, failed = [], []
        with ThreadPoolExecutor(max_workers=8) as pool:
            for batch in range(10):
                numbers = range(100 * batch, 100 * (batch + 1))
                statuses = pool.map(lambda n: (n, _get(server.url + paths[n % len(paths)], cookie)[0]), numbers)
                failed += [(paths[n % len(paths)], status) for n, status in statuses if status != 200]
                counts.append(_server_connections(app_name))
    finally:
        server.stop()
    # Before the pool: 32 after 300 page loads and climbing, until PostgreSQL refused new ones (the failures).
    assert 0 < max(counts) <= POOL_MAX, counts
    assert failed == []
