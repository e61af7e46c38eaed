"""Real Daphne processes on the test database, for browser journeys and multi-process chat tests."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def current_database_url() -> str:
    """DATABASE_URL of the database this test run is using (pytest-django's test database)."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{db.get('USER') or 'postgres'}{password}@{host}/{db['NAME']}"


class DaphneServer:
    """The site served by a Daphne subprocess (HTTP and WebSockets) with the test settings."""

    def __init__(self, *, log: Path, env: dict[str, str] | None = None):
        """`env` overrides; processes that must share cache state (socket counts, presence) pass one
        TEST_CACHE_PREFIX, otherwise each server gets its own, so leftovers of earlier runs on Redis stay out."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "community.settings.test",
            "DATABASE_URL": current_database_url(),
            "PYTHONUNBUFFERED": "1",
            "TEST_CACHE_PREFIX": f"test-server-{uuid.uuid4().hex[:12]}",
            # One deployment with the test process: what it broadcasts reaches the server's sockets.
            "COMMUNITY_DEPLOYMENT_PREFIX": settings.COMMUNITY_DEPLOYMENT_PREFIX,
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        """Start and wait until /healthz answers."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "community.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the test server exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the test server did not start in {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """A clean shutdown, as a deploy would do."""
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """A crash: no goodbye to anyone."""
        if self.running:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def ws_url(self, slug: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/{slug}/"


def kill_redis_connections(name_prefix: str, *, kind: str = "all") -> int:
    """A Redis reset, scoped: CLIENT KILL every connection whose client name starts with `name_prefix` (the
    deployment prefix names them, see settings), so that other test runs on the same Redis are left alone.
    `kind`: "pubsub" (subscribers), "normal" (commands: publishing, the cache) or "all". Returns how many."""
    import redis

    client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    killed = 0
    try:
        for connection in client.client_list():
            if not connection.get("name", "").startswith(name_prefix):
                continue
            subscriber = int(connection.get("sub", 0)) + int(connection.get("psub", 0)) > 0
            if kind == "all" or (kind == "pubsub") == subscriber:
                try:
                    client.client_kill_filter(_id=connection["id"])
                except redis.ResponseError:  # it closed by itself meanwhile
                    continue
                killed += 1
    finally:
        client.close()
    return killed
