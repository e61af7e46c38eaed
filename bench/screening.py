"""How long screening takes per text, and how many queries it makes, on a throwaway SQLite database.

    .venv/bin/python bench/screening.py [--repeat 20]

Migrates (which seeds the crisis list), then screens every sentence of the crisis corpus (tests/moderation/
crisis_corpus.py: crisis sentences and everyday ones) --repeat times, and prints the median and 99th percentile
CPU time per text (time.process_time) and the queries made after the first call (the list is compiled once per
process and re-read only when staff change it). Not part of the test run.
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
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    db_file = Path(tempfile.mkdtemp()) / "screening-bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from moderation.models import WatchedWord
    from moderation.screening import screen_text
    from tests.moderation.crisis_corpus import MUST_NOT_TRIGGER, MUST_TRIGGER

    texts = list(MUST_TRIGGER) + list(MUST_NOT_TRIGGER)
    screen_text("warm up: compile the list once")
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(args.repeat):
            for text in texts:
                start = time.process_time()
                screen_text(text)
                timings.append(time.process_time() - start)
    timings.sort()
    print(f"watched words: {WatchedWord.objects.filter(is_active=True).count()} active entries")
    print(f"texts screened: {len(timings)} ({len(texts)} sentences x {args.repeat})")
    median, p99 = statistics.median(timings), timings[int(len(timings) * 0.99)]
    print(f"CPU per text: median {median * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs")
    print(f"queries after the first call: {len(queries)}")


if __name__ == "__main__":
    main()
