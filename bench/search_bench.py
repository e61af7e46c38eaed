"""CPU time and queries of one forum search, in process, on a database seeded by `seed_bench`.

    export DJANGO_SETTINGS_MODULE=community.settings.dev DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_bench --spirit-like --big-category
    .venv/bin/python bench/search_bench.py [--repeat 5] [--library 1] [--member bench-0@bench.invalid]

For each query it prints the median CPU time of `search_posts` (time.process_time: on SQLite that includes the
database's work, on PostgreSQL only this process's), the PostgreSQL backend's CPU time (read from /proc when the
server runs on this machine, with 10 ms ticks), the median wall time, the query count and the number of
results. `--library N` also runs the search library's own query (what `search_posts` used before) for the first
N queries (--library-repeat times, default once), prints its times, and checks that both give the same posts in
the same order; on SQLite that took 53 s for "routine morning", so keep N small. `--member` picks who searches;
a member who may see little of what matches takes the second, exact pass. Not part of the test run.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = ["routine morning", "garden", "sponsor call", "craving trigger", "anniversary milestone", "zebra"]


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine (else NaN)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return math.nan
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(fn, repeat: int):
    from django.db import connection, reset_queries

    cpu, wall, server = [], [], []
    for _ in range(repeat):
        s0 = _server_cpu()
        reset_queries()
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        count = len(connection.queries)
        server.append(_server_cpu() - s0)
    ms = [statistics.median(values) * 1000 for values in (cpu, wall, server)]
    return result, *ms, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--library", type=int, default=0, help="also time the library's query for the first N")
    parser.add_argument("--library-repeat", type=int, default=1)
    parser.add_argument("--member", default="bench-0@bench.invalid")
    parser.add_argument("queries", nargs="*", default=QUERIES)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from forum import search
    from members.models import User

    settings.DEBUG = True  # keeps connection.queries, for the count
    user = User.objects.get(email=args.member)
    print(f"{connection.vendor} {connection.settings_dict['NAME']}, member {args.member}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    search.search_posts(user, "warm up")
    for n, query in enumerate(args.queries):
        posts, cpu, wall, server, queries = _timed(lambda q=query: search.search_posts(user, q), args.repeat)
        print(
            f"{query!r:26} {cpu:8.1f} ms CPU {server:6.0f} ms db CPU {wall:8.1f} ms wall "
            f"{queries:2} queries {len(posts):3} results"
        )
        if n < args.library:
            backend = get_search_backend()
            bounded = search.clean_query(query)
            before, cpu, wall, server, queries = _timed(
                lambda b=bounded, be=backend: search._search_with_backend(be, user, b, 50), args.library_repeat
            )
            terms = search._terms(bounded)
            before.sort(key=lambda p: not (p.position == 1 and search._mentions_any(p.topic.title, terms)))
            same = [p.pk for p in before] == [p.pk for p in posts]
            print(
                f"{'  library:':26} {cpu:8.1f} ms CPU {server:6.0f} ms db CPU {wall:8.1f} ms wall "
                f"{queries:2} queries, same: {same}"
            )
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
