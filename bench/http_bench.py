"""Signed-in page loads against a running server: latency and the server's CPU time per request.

    .venv/bin/python bench/http_bench.py --port 8200 --server-pid PID --make-sessions 40 [--concurrency 1 8]

Pages: home, the category list, a topic list (page 1 and the last), the longest topic (page 1 and the last),
a search, and a chat room page. Each request carries a bench member's session cookie (members made by
`manage.py seed_bench`); sessions rotate, so that per-member limits (searches a minute) are not what is measured.
The server's CPU time per request is read from /proc (utime + stime of the server process and its children,
before and after each batch), which says more on a shared, noisy machine than requests per second do.

`--make-sessions N` signs in N adult bench members directly in the database the server uses (same
DJANGO_SETTINGS_MODULE and DATABASE_URL in this environment) and finds the pages' addresses there: the longest
topic, the largest category (or the ones named with --topic-lists), the first chat room.
Requests go to loopback only, in bounded numbers. Not part of the test run.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Two common words of the bench vocabulary (each in about one post in ten).
SEARCH_QUERY = "routine morning"


# --- server CPU from /proc -------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def process_tree_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) used so far by `pid` and every process below it."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
        todo += _children(current)
    return total


def postgres_backends_cpu(database: str) -> float:
    """Seconds of CPU used so far by the PostgreSQL backends serving `database` (the server's pooled connections:
    on PostgreSQL much of a page's work happens there, outside the server process). Root can read their /proc."""
    import psycopg

    with psycopg.connect(f"dbname={database} host=127.0.0.1 user=postgres", autocommit=True) as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        pids = [row[0] for row in conn.execute(query, [database])]
    return sum(process_tree_cpu(pid) for pid in pids)


# --- sessions and pages ------------------------------------------------------------------------------------------


def discover(n_sessions: int, topic_lists: list[str], search: str = SEARCH_QUERY) -> dict:
    """Run in the server's environment (Django set up): sessions for bench members and the pages to load."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from chat.models import Room
    from forum.models import Category, Topic
    from members.models import User

    members = [u for u in User.objects.filter(email__startswith="bench-").exclude(email__startswith="bench-staff")]
    members = sorted((u for u in members if not u.is_teen), key=lambda u: int(u.email.split("-")[1].split("@")[0]))
    if not members:
        raise SystemExit("No bench members here: run `manage.py seed_bench` on this database first.")
    sessions = []
    for user in members[:n_sessions]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    pages = {"home": "/", "category list": "/forum/"}
    categories = Category.objects.exclude(audience="teens")
    chosen = [categories.get(slug=s) for s in topic_lists] if topic_lists else [categories.order_by("-topic_count")[0]]
    for category in chosen:
        tag = f" ({category.topic_count})" if len(chosen) > 1 else ""
        pages[f"topic list p1{tag}"] = f"/forum/c/{category.slug}/"
        # Past the end: the list answers with its last page.
        pages[f"topic list last{tag}"] = f"/forum/c/{category.slug}/?page=100000"
    longest = Topic.objects.filter(state="visible", category__audience="adults").order_by("-last_position").first()
    if longest:
        pages["topic p1"] = f"/forum/t/{longest.pk}/"
        pages[f"topic last (p{longest.page_count})"] = f"/forum/t/{longest.pk}/?page={longest.page_count}"
    pages["search"] = "/forum/search/?q=" + search.replace(" ", "+")
    room = Room.objects.filter(audience="adults", slug__startswith="bench-room").order_by("pk").first()
    if room:
        pages["chat room"] = f"/chat/{room.slug}/"
    return {"sessions": sessions, "pages": pages}


def make_sessions(n: int, topic_lists: list[str], search: str) -> dict:
    args = [sys.executable, __file__, "--discover", str(n), "--search", search]
    if topic_lists:
        args += ["--topic-lists", ",".join(topic_lists)]
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=120, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- load ---------------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection (a server that closes it, like gunicorn's sync worker, gets a new one)."""

    def __init__(self, host: str, port: int, cookie_name: str, timeout: float = 30):
        self.host, self.port, self.cookie_name = host, port, cookie_name
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def get(self, path: str, session: str) -> tuple[int, int, float]:
        headers = {
            "Host": self.host,
            "Cookie": f"{self.cookie_name}={session}",
            # As behind the TLS proxy production runs behind (SECURE_PROXY_SSL_HEADER): no redirect to https.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Accept": "text/html",
        }
        start = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                break
            except TimeoutError:
                self.conn.close()
                return "timeout", 0, time.perf_counter() - start
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt:
                    raise
        return response.status, len(body), time.perf_counter() - start


def run_page(args, path: str, sessions: list[str], concurrency: int, requests: int, pid: int | None) -> dict:
    clients = [Client(args.host, args.port, args.cookie, getattr(args, "timeout", 30)) for _ in range(concurrency)]
    for i, client in enumerate(clients):  # warm: connections, caches, the first write of each session
        for k in range(2):
            client.get(path, sessions[(i + k) % len(sessions)])
    latencies, statuses, sizes, lock = [], {}, [], threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + args.max_seconds

    def worker(client: Client):
        for n in counter:
            if time.monotonic() > deadline:
                return
            status, size, elapsed = client.get(path, sessions[n % len(sessions)])
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                sizes.append(size)

    pg = getattr(args, "pg_database", None)
    db_before = postgres_backends_cpu(pg) if pg else 0.0
    cpu_before = process_tree_cpu(pid) if pid else 0.0
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = (process_tree_cpu(pid) - cpu_before) if pid else None
    db_cpu = (postgres_backends_cpu(pg) - db_before) if pg else None
    done = len(latencies)
    latencies.sort()
    return {
        "requests": done,
        "statuses": statuses,
        "server_cpu_ms": round(cpu * 1000 / done, 2) if cpu is not None and done else None,
        "db_cpu_ms": round(db_cpu * 1000 / done, 2) if db_cpu is not None and done else None,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if done else None,
        "p95_ms": round(latencies[int(0.95 * (done - 1))] * 1000, 1) if done else None,
        "rps": round(done / wall, 1) if wall else None,
        "kb": round(statistics.mean(sizes) / 1024, 1) if sizes else None,
    }


def measure(args, sessions: list[str], pages: dict[str, str], pid: int | None) -> list[dict]:
    rows = []
    for concurrency in args.concurrency:
        for name, path in pages.items():
            requests = args.requests * (2 if concurrency > 1 else 1)
            result = run_page(args, path, sessions, concurrency, requests, pid)
            rows.append({"page": name, "path": path, "concurrency": concurrency, **result})
            if not args.json:
                print_row(rows[-1])
    return rows


def print_header() -> None:
    print(
        f"{'page':<28} {'conc':>4} {'reqs':>5} {'status':>10} {'CPU ms/req':>10} {'DB CPU':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'kB':>6}"
    )


def print_row(row: dict) -> None:
    status = ",".join(f"{k}x{v}" if len(row["statuses"]) > 1 else str(k) for k, v in row["statuses"].items())
    cpu = f"{row['server_cpu_ms']:.2f}" if row["server_cpu_ms"] is not None else "-"
    db = f"{row['db_cpu_ms']:.2f}" if row.get("db_cpu_ms") is not None else "-"
    print(
        f"{row['page']:<28} {row['concurrency']:>4} {row['requests']:>5} {status:>10} {cpu:>10} {db:>7} "
        f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['rps']:>6} {row['kb']:>6}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--server-pid", type=int, help="The server process (its children are counted too).")
    parser.add_argument("--sessions", help="JSON from an earlier --make-sessions run (sessions and pages).")
    parser.add_argument("--make-sessions", type=int, metavar="N", help="Sign in N bench members in the database.")
    parser.add_argument("--topic-lists", default="", help="Category slugs for the topic list (default: largest).")
    parser.add_argument("--only", default="", help="Comma-separated page names (prefixes) to load.")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--requests", type=int, default=60, help="Per page at concurrency 1 (twice at higher).")
    parser.add_argument("--max-seconds", type=float, default=60, help="Stop a page's batch after this long.")
    parser.add_argument("--pg-database", help="Also count the CPU of this PostgreSQL database's backends.")
    parser.add_argument("--cookie", default="sessionid")
    parser.add_argument("--timeout", type=float, default=30, help="Seconds before a request counts as timed out.")
    parser.add_argument("--search", default=SEARCH_QUERY, help="What the search page is asked.")
    parser.add_argument("--save-sessions", help="Write the sessions and pages found to this file (for --sessions).")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--discover", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    lists = [s for s in args.topic_lists.split(",") if s]
    if args.discover is not None:
        print(json.dumps(discover(args.discover, lists, args.search)))
        return
    if args.sessions:
        found = json.loads(Path(args.sessions).read_text())
    elif args.make_sessions:
        found = make_sessions(args.make_sessions, lists, args.search)
    else:
        parser.error("give --sessions FILE or --make-sessions N")
    if args.save_sessions:
        Path(args.save_sessions).write_text(json.dumps(found))
    pages = found["pages"]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        pages = {k: v for k, v in pages.items() if any(k.startswith(w) for w in wanted)}
    if not args.json:
        print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}, {os.cpu_count()} cores")
        print_header()
    rows = measure(args, found["sessions"], pages, args.server_pid)
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
