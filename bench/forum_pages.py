"""CPU time and SQL queries per forum page, in process, on a throwaway SQLite database.

    .venv/bin/python bench/forum_pages.py [--posts 1000] [--repeat 50]

Builds one adult category with 200 topics and one topic of --posts posts (reactions on every post), signs a
member in, then requests the category list, the topic list and topic pages 1 and the last, each --repeat
times, and prints the median CPU time per request (time.process_time, so other load on the machine matters
less) and the query count. DEBUG is off, as in production. Not part of the test run.
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
    parser.add_argument(
        "--no-activity-tracking", action="store_true", help="turn off allauth's per-request session tracking"
    )
    args = parser.parse_args()

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
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
        return
    print(f"{'page':<16} {'queries':>7} {'CPU ms (median)':>16} {'kB':>6}")
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
        print(f"{name:<16} {len(executed):>7} {statistics.median(times):>16.1f} {len(response.content) / 1024:>6.1f}")


if __name__ == "__main__":
    main()
