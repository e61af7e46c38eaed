"""Our forum against Spirit (django-spirit 0.14.3) on the same data set, measured side by side.

    .venv/bin/python bench/spirit_side_by_side.py [--rounds 3] [--requests 40] [--workdir /tmp/spirit-bench]

What it does, all in a temporary folder (nothing of Spirit's is kept in this repository):
1. A virtualenv with django-spirit==0.14.3 and gunicorn from PyPI; `spirit startproject`, production settings
   (DEBUG off) on SQLite, `spiritinstall` (migrate, cache tables, collectstatic).
2. The data set of `seed_bench --spirit-like` (community/management/commands/seed_bench.py: spirit_like_plan),
   written into Spirit through its own models: 50 members, one category, 200 topics an hour apart from
   2024-01-01 UTC, topic 0 with 1,000 comments, topic 1 with 20, the others 5, authors in turn, a minute apart,
   the same Markdown and HTML. Our database: migrate + `seed_bench --spirit-like`.
3. Spirit under gunicorn, one sync worker; ours under Daphne (production settings, one process) and, for the
   same server on both sides, under the same gunicorn (one sync worker, our WSGI application).
4. Rounds: each server in turn (the order alternates), each page --requests times by signed-in members (and
   Spirit's topic page anonymously too); the server's CPU time per request from /proc. Ratios are taken within
   a round, so that load from elsewhere on the machine weighs on both sides alike.

Loopback only, bounded: every request has a timeout and every batch a deadline. Not part of the test run.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import http_bench  # noqa: E402

SPIRIT = "django-spirit==0.14.3"
GUNICORN = "gunicorn==23.0.0"
OUR_PYTHON = sys.executable

SPIRIT_SETTINGS = """
from .prod import *  # noqa

DEBUG = False
SECRET_KEY = "bench-only-secret"
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""

SPIRIT_SEED = """
import json, sys
from datetime import datetime, timedelta

import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

from spirit.category.models import Category
from spirit.comment.models import Comment
from spirit.topic.models import Topic

plan = json.load(open(sys.argv[1]))
User = get_user_model()
with transaction.atomic():
    if not Topic.objects.filter(title=plan[0]["title"]).exists():
        users = []
        for i in range(50):
            user = User.objects.create_user(username=f"bench{i}", email=f"bench-{i}@bench.invalid", password=None)
            user.st.is_verified = True
            user.st.save()
            users.append(user)
        category = Category.objects.create(title="Bench", description="Bench category.")
        topics = []
        for t in plan:
            created = datetime.fromisoformat(t["created"])
            last = created + timedelta(minutes=t["posts"][-1]["minute"])
            topic = Topic(
                user=users[t["posts"][0]["author"]], category=category, title=t["title"], date=created,
                last_active=last, reindex_at=last, comment_count=len(t["posts"]),
            )
            topics.append(topic)
        Topic.objects.bulk_create(topics)
        comments = []
        for topic, t in zip(topics, plan):
            created = datetime.fromisoformat(t["created"])
            for p in t["posts"]:
                comments.append(Comment(
                    user=users[p["author"]], topic=topic, comment=p["body"], comment_html=p["html"],
                    date=created + timedelta(minutes=p["minute"]),
                ))
        Comment.objects.bulk_create(comments, batch_size=500)
users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
sessions = []
for user in users[: int(sys.argv[2])]:
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "spirit.user.auth.backends.UsernameAuthBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    sessions.append(s.session_key)
topic = Topic.objects.get(title=plan[0]["title"])
category = topic.category
print(json.dumps({
    "sessions": sessions,
    "topic_list": category.get_absolute_url(),
    "topic": topic.get_absolute_url(),
}))
"""


def run(cmd, *, env=None, cwd=None, timeout=600, quiet=True):
    result = subprocess.run(
        cmd, env=env, cwd=cwd, timeout=timeout, capture_output=quiet, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode:
        sys.stderr.write((result.stdout or "") + (result.stderr or ""))
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"nothing listens on port {port}")


# --- Spirit --------------------------------------------------------------------------------------------------------


def build_spirit(work: Path) -> dict:
    venv = work / "spirit-venv"
    py = venv / "bin" / "python"
    if not py.exists():
        print("Installing Spirit into", venv, flush=True)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(py), "-m", "pip", "install", "-q", SPIRIT, GUNICORN], timeout=900)
    project = work / "spirit_site"
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "PYTHONPATH": str(project)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if not (project / "manage.py").exists():
        run([str(venv / "bin" / "spirit"), "startproject", "spirit_site"], env=env, cwd=work)
    settings = project / "spirit_site" / "settings" / "bench.py"
    settings.write_text(SPIRIT_SETTINGS.format(db=str(work / "spirit.sqlite3")))
    env["DJANGO_SETTINGS_MODULE"] = "spirit_site.settings.bench"
    if not (work / "spirit.sqlite3").exists():  # a second spiritinstall would ask before overwriting static files
        run([str(py), "manage.py", "spiritinstall"], env=env, cwd=project, timeout=900)
    return {"python": py, "venv": venv, "project": project, "env": env}


def seed_spirit(spirit: dict, plan_file: Path, sessions: int) -> dict:
    script = spirit["project"] / "bench_seed.py"
    script.write_text(textwrap.dedent(SPIRIT_SEED))
    out = run(
        [str(spirit["python"]), str(script), str(plan_file), str(sessions)],
        env=spirit["env"],
        cwd=spirit["project"],
        timeout=600,
    )
    return json.loads(out.strip().splitlines()[-1])


# --- ours ----------------------------------------------------------------------------------------------------------


def build_ours(work: Path) -> dict:
    db = work / "ours.sqlite3"
    static = work / "ours-static"
    settings_dir = work / "ours-settings"
    settings_dir.mkdir(exist_ok=True)
    (settings_dir / "bench_production.py").write_text(
        "# Production settings for a local benchmark; static files go to a temporary folder.\n"
        "import os\n\nfrom community.settings.production import *  # noqa: F403\n\n"
        'STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]\n'
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    base.update(DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=f"{settings_dir}:{ROOT}")
    dev = {**base, "DJANGO_SETTINGS_MODULE": "community.settings.dev"}
    prod = {
        **base,
        "DJANGO_SETTINGS_MODULE": "bench_production",
        "DJANGO_SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "BENCH_STATIC_ROOT": str(static),
        "LOG_LEVEL": "ERROR",
    }
    manage = [OUR_PYTHON, str(ROOT / "manage.py")]
    if not db.exists():
        run([*manage, "migrate", "-v0"], env=prod, timeout=900)
        run([*manage, "seed_bench", "--spirit-like"], env=dev, timeout=900)
    run([*manage, "collectstatic", "--noinput", "-v0"], env=prod, timeout=600)
    return {"env": prod}


# --- servers and rounds --------------------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, cmd: list[str], env: dict, cwd: Path, port: int, cookie: str = "sessionid"):
        self.name, self.port, self.cookie = name, port, cookie
        self.log = open(Path(tempfile.gettempdir()) / f"side-by-side-{name.replace(' ', '-')}.log", "w")
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(port)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def measure_page(server: Server, name: str, path: str, sessions: list[str], requests: int, max_seconds: float) -> dict:
    args = argparse.Namespace(host="127.0.0.1", port=server.port, cookie=server.cookie, max_seconds=max_seconds)
    row = http_bench.run_page(args, path, sessions, 1, requests, server.pid)
    if set(row["statuses"]) != {200}:
        raise SystemExit(f"{server.name} {name} {path}: {row['statuses']}")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", help="Reuse a folder (the venv and databases are built once).")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40, help="Per page per round.")
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--no-gunicorn-ours", action="store_true", help="Ours under Daphne only.")
    parser.add_argument("--json", help="Write every round's figures to this file.")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="spirit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print("work folder:", work, flush=True)

    sys.path.insert(0, str(ROOT))
    from community.management.commands.seed_bench import spirit_like_plan

    plan_file = work / "plan.json"
    plan_file.write_text(json.dumps(spirit_like_plan(), default=str))
    spirit = build_spirit(work)
    spirit_found = seed_spirit(spirit, plan_file, 10)
    ours = build_ours(work)
    ours_env = {**ours["env"]}
    found = json.loads(
        run(
            [OUR_PYTHON, str(ROOT / "bench" / "http_bench.py"), "--discover", "10", "--topic-lists", "bench"],
            env=ours_env,
            cwd=ROOT,
        )
        .strip()
        .splitlines()[-1]
    )
    sessions = found["sessions"]
    ours_topic = found["pages"]["topic p1"]
    ours_pages = {
        "topic list": (found["pages"]["topic list p1"], sessions),
        "topic page 1": (ours_topic, sessions),
        "topic page 50": (ours_topic + "?page=50", sessions),
    }
    s_sessions = spirit_found["sessions"]
    spirit_pages = {
        "topic list": (spirit_found["topic_list"], s_sessions),
        "topic page 1": (spirit_found["topic"], s_sessions),
        "topic page 50": (spirit_found["topic"] + "?page=50", s_sessions),
        "topic page 1 anonymous": (spirit_found["topic"], ["-"]),
        "topic page 50 anonymous": (spirit_found["topic"] + "?page=50", ["-"]),
    }

    gunicorn_lib = work / "gunicorn-lib"
    if not args.no_gunicorn_ours and not gunicorn_lib.exists():
        # gunicorn for our WSGI application, kept out of our virtualenv (it is not one of our dependencies).
        run([str(spirit["python"]), "-m", "pip", "install", "-q", "--no-deps", "--target", str(gunicorn_lib), GUNICORN])

    def start(kind: str) -> Server:
        port = free_port()
        if kind == "spirit":
            cmd = [
                str(spirit["venv"] / "bin" / "gunicorn"),
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "spirit_site.wsgi:application",
            ]
            return Server("spirit (gunicorn)", cmd, spirit["env"], spirit["project"], port)
        if kind == "ours-daphne":
            cmd = [
                str(Path(OUR_PYTHON).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "community.asgi:application",
            ]
            return Server("ours (daphne)", cmd, ours_env, ROOT, port)
        env = {**ours_env, "PYTHONPATH": f"{ours_env['PYTHONPATH']}:{gunicorn_lib}"}
        cmd = [OUR_PYTHON, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "community.wsgi:application"]
        return Server("ours (gunicorn)", cmd, env, ROOT, port)

    kinds = ["spirit", "ours-daphne"] + ([] if args.no_gunicorn_ours else ["ours-gunicorn"])
    servers = {kind: start(kind) for kind in kinds}
    rounds = []
    try:
        print(f"load average at start: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)
        for r in range(args.rounds):
            figures = {kind: {} for kind in kinds}
            # Page by page, each server in turn (the order alternating), so that the figures compared were
            # taken seconds apart, under the same load from elsewhere on the machine.
            for n, page in enumerate(spirit_pages):
                order = kinds if (r + n) % 2 == 0 else list(reversed(kinds))
                for kind in order:
                    pages = spirit_pages if kind == "spirit" else ours_pages
                    if page in pages:
                        path, sessions = pages[page]
                        figures[kind][page] = measure_page(
                            servers[kind], page, path, sessions, args.requests, args.max_seconds
                        )
            load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            rounds.append({"round": r + 1, "load": load, "figures": figures})
            report_round(rounds[-1], kinds)
    finally:
        for server in servers.values():
            server.stop()
    summarise(rounds, kinds)
    if args.json:
        Path(args.json).write_text(json.dumps(rounds, indent=1))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


def report_round(rnd: dict, kinds: list[str]) -> None:
    print(f"\nround {rnd['round']} (load average after: {rnd['load']})")
    print(f"{'page':<26}" + "".join(f"{k + ' CPU ms':>22}" for k in kinds) + "   ours/spirit")
    spirit = rnd["figures"]["spirit"]
    for page, row in spirit.items():
        line = f"{page:<26}{row['server_cpu_ms']:>22.2f}"
        ratios = []
        for kind in kinds[1:]:
            ours = rnd["figures"][kind].get(page.replace(" anonymous", ""))
            line += f"{ours['server_cpu_ms']:>22.2f}" if ours else f"{'':>22}"
            if ours:
                ratios.append(f"{ours['server_cpu_ms'] / row['server_cpu_ms']:.2f}")
        print(line + "   " + " / ".join(ratios), flush=True)


def summarise(rounds: list[dict], kinds: list[str]) -> None:
    print("\nsummary: ours / Spirit, CPU per request (median of rounds, range)")
    for kind in kinds[1:]:
        for page in rounds[0]["figures"]["spirit"]:
            ours_page = page.replace(" anonymous", "")
            ratios = [
                r["figures"][kind][ours_page]["server_cpu_ms"] / r["figures"]["spirit"][page]["server_cpu_ms"]
                for r in rounds
            ]
            label = f"{kind}: {ours_page} / spirit {page}"
            print(f"  {label:<62} {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")
    for kind in kinds:
        pages = rounds[0]["figures"][kind]
        if "topic page 50" in pages:
            depth = [
                r["figures"][kind]["topic page 50"]["server_cpu_ms"]
                / r["figures"][kind]["topic page 1"]["server_cpu_ms"]
                for r in rounds
            ]
            print(f"  {kind}: page 50 / page 1 {statistics.median(depth):.2f} ({min(depth):.2f}-{max(depth):.2f})")


if __name__ == "__main__":
    main()
