"""CPU time and SQL queries per forum page, in process, on a throwaway SQLite database.

    .venv/bin/python bench/forum_pages.py [--posts 1000] [--repeat 50]

Builds one adult category with 200 topics and one topic of --posts posts (reactions on every post), signs a
member in, then requests the category list, the topic list and topic pages 1 and the last, each --repeat
times, and prints the median and the least CPU time per request (time.process_time, so other load on the machine
matters less) and the query count. BENCH_PROFILE=1 profiles 20 views of topic page 2 instead (BENCH_SORT picks
the order, BENCH_PROFILE_OUT keeps the raw profile for pstats). DEBUG is off, as in production. Not part of the
test run. --against TREE compares this tree with another on the topic pages, in alternating bursts.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--topic-only", action="store_true", help="only the topic pages (first and last)")
    parser.add_argument(
        "--against",
        metavar="TREE",
        help="A/B: run this tree and TREE (e.g. `git archive HEAD` unpacked) side by side, in short alternating bursts",
    )
    parser.add_argument("--rounds", type=int, default=10, help="with --against: bursts of --repeat views per tree")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-activity-tracking", action="store_true", help="turn off allauth's per-request session tracking"
    )
    args = parser.parse_args()
    if args.against:
        compare(args)
        return

    db_file = Path(tempfile.mkdtemp()) / "forum-bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    if args.no_activity_tracking:
        settings.USERSESSIONS_TRACK_ACTIVITY = False
    call_command("migrate", verbosity=0)
    from forum import services
    from forum.models import Post, Reaction, Topic
    from members.setup import ensure_roles_and_groups
    from resources.services import ensure_resource_root
    from tests.factories import UserFactory

    ensure_roles_and_groups()
    ensure_resource_root()
    staff = UserFactory(display_name="Bench staff")
    reader = UserFactory(display_name="Bench reader")
    writers = [UserFactory(display_name=f"Writer {i}") for i in range(10)]
    category = services.create_category(actor=staff, name="Bench")
    now = timezone.now()
    topics = Topic.objects.bulk_create(
        [
            Topic(
                category=category,
                title=f"Topic {i}",
                author=writers[i % 10],
                last_position=1,
                last_visible_position=1,
                last_post_at=now,
                last_poster=writers[i % 10],
            )
            for i in range(199)
        ]
    )
    Post.objects.bulk_create([Post(topic=t, position=1, author=t.author, body="Hi", html="<p>Hi</p>") for t in topics])
    topic = services.create_topic(category=category, author=writers[0], title="Long topic", body="Start")
    posts = Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                position=i + 2,
                author=writers[i % 10],
                body=f"Reply {i} " + "words " * 60,
                html="<p>Reply " + "words " * 60 + "</p>",
            )
            for i in range(args.posts - 1)
        ]
    )
    Topic.objects.filter(pk=topic.pk).update(last_position=args.posts)
    topic.refresh_from_db()
    services.refresh_topic_stats(topic=topic)
    services.refresh_category_stats(category=category)
    Reaction.objects.bulk_create([Reaction(post=p, user=writers[j], kind="hug") for p in posts for j in range(2)])

    client = Client()
    client.force_login(reader)
    last = topic.page_count
    pages = {
        "category list": "/forum/",
        "topic list": f"/forum/c/{category.slug}/",
        "topic page 1": f"/forum/t/{topic.pk}/?page=1",
        f"topic page {last}": f"/forum/t/{topic.pk}/?page={last}",
    }
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        url = f"/forum/t/{topic.pk}/?page=2"
        client.get(url)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [client.get(url) for _ in range(20)])
        if os.environ.get("BENCH_PROFILE_OUT"):
            profiler.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
        return
    if args.serve:
        serve(client, pages)
        return
    if args.topic_only:
        pages = {name: url for name, url in pages.items() if name.startswith("topic page")}
    # The minimum as well as the median: on a shared machine other processes only ever add to a request's CPU time
    # (cache misses, frequency), so the minimum is the steadier figure for comparing two trees.
    print(f"{'page':<16} {'queries':>7} {'CPU ms (median)':>16} {'min':>6} {'kB':>6}")
    for name, url in pages.items():
        client.get(url)  # warm caches and the read marker
        executed = []
        with connection.execute_wrapper(lambda execute, sql, *a, log=executed: log.append(sql) or execute(sql, *a)):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if os.environ.get("BENCH_DUMP"):
            print(response.content.decode()[:3000])
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            client.get(url)
            times.append((time.process_time() - start) * 1000)
        print(
            f"{name:<16} {len(executed):>7} {statistics.median(times):>16.1f} {min(times):>6.1f}"
            f" {len(response.content) / 1024:>6.1f}"
        )


def serve(client, pages: dict) -> None:
    """For --against: after the set-up, answer "<page name>\t<count>" lines with that many CPU times, as JSON."""
    import json

    for url in pages.values():
        client.get(url)
    print("ready", flush=True)
    for line in sys.stdin:
        name, count = line.rstrip("\n").split("\t")
        times = []
        for _ in range(int(count)):
            start = time.process_time()
            client.get(pages[name])
            times.append((time.process_time() - start) * 1000)
        print(json.dumps(times), flush=True)


def compare(args) -> None:
    """Two trees on the same data, each in its own process, measured in alternating bursts of --repeat views: load
    from other work on a shared machine then falls on both alike (a whole run of one, then the other, did not)."""
    import json
    import subprocess

    trees = {"this": ROOT, "other": Path(args.against).resolve()}
    procs = {
        label: subprocess.Popen(
            [sys.executable, str(tree / "bench" / "forum_pages.py"), "--serve", "--posts", str(args.posts)],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for label, tree in trees.items()
    }
    for proc in procs.values():
        while proc.stdout.readline().strip() != "ready":
            pass
    last = -(-args.posts // 20)
    names = ["topic page 1", f"topic page {last}"]
    times = {(label, name): [] for label in procs for name in names}
    for round_ in range(args.rounds):
        for name in names:
            order = list(procs) if round_ % 2 == 0 else list(reversed(procs))
            for label in order:
                procs[label].stdin.write(f"{name}\t{args.repeat}\n")
                procs[label].stdin.flush()
                times[label, name].extend(json.loads(procs[label].stdout.readline()))
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    print(f"{'page':<16} {'this: median':>12} {'min':>6} {'other: median':>13} {'min':>6} {'ratio (median)':>14}")
    for name in names:
        a, b = times["this", name], times["other", name]
        ratio = statistics.median(a) / statistics.median(b)
        print(
            f"{name:<16} {statistics.median(a):>12.1f} {min(a):>6.1f} {statistics.median(b):>13.1f} {min(b):>6.1f}"
            f" {ratio:>14.2f}"
        )


if __name__ == "__main__":
    main()
