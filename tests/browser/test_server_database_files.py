"""The server keeps SQLite connections open for chat, and must not keep one per page load.

SQLite connections stay open between uses (settings: CONN_MAX_AGE), which saves chat reopening the file for
every message. Each HTTP request runs on a thread of its own, so without closing at the end of the request every
page load left a connection (three open files in WAL mode) until the garbage collector found it: 500 page loads
left 180 open files in one server process, on the way to its limit of open files. No browser is needed here;
the test lives with the browser journeys because their server runs on a SQLite file.
"""

import os
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

# One connection for chat's database thread and a few requests in flight, three files each (database, -wal, -shm).
MOST_OPEN_FILES = 3 * 6


def _open_database_files(pid: int, name: str) -> int:
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(name):
                count += 1
        except OSError:  # closed while we looked
            pass
    return count


def test_page_loads_do_not_pile_up_open_database_files(live_server):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's pool is counted in tests/community/test_db_connections.py")
    client = Client()
    client.force_login(UserFactory())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    paths = ["/forum/", "/", "/chat/", "/me/"]

    def load(n: int) -> int:
        request = urllib.request.Request(live_server.url + paths[n % len(paths)], headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    counts = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for batch in range(4):
            assert set(pool.map(load, range(100 * batch, 100 * (batch + 1)))) == {200}
            counts.append(_open_database_files(live_server.process.pid, connection.settings_dict["NAME"]))
    # Before: 70, 146, 139, 116 (and 179 after a fifth hundred) under Uvicorn with the same pages.
    assert max(counts) <= MOST_OPEN_FILES, counts
