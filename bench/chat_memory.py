"""Where a chat connection's memory goes: Python allocations in the server per open socket, by source file.

    .venv/bin/python bench/chat_memory.py --clients 200 [--deflate]

Starts Uvicorn (websockets-sansio, the production flags) in a child process with tracemalloc on, opens
--clients sockets to the room of `chat_bench_sessions` (run here against the same settings and database, as
bench/chat_fanout.py --make-sessions does), and prints the growth of traced memory per socket by file. The
environment is bench/README.md's (production settings, DATABASE_URL of a migrated throwaway database).
tracemalloc counts what Python allocates, not resident pages: bench/chat_fanout.py's kB/conn (from /proc)
is the figure the target is about; this says where it comes from. --deflate lets the client offer
permessage-deflate (browsers do), to show what the deploy flag `--ws-per-message-deflate false` saves.
"""

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def serve(port: int, flag_dir: Path, deflate: bool) -> None:
    """The traced server: snapshot when `before` appears, compare when `after` (holding the count) appears."""
    tracemalloc.start(1)
    sys.path.insert(0, str(ROOT))
    import uvicorn
    import uvloop

    async def watch():
        first = None
        while True:
            await asyncio.sleep(0.3)
            if first is None and (flag_dir / "before").exists():
                gc.collect()
                first = tracemalloc.take_snapshot()
                (flag_dir / "before.done").write_text("")
            elif first is not None and (flag_dir / "after").exists():
                count = int((flag_dir / "after").read_text())
                gc.collect()
                stats = tracemalloc.take_snapshot().compare_to(first, "filename")
                rows = [(s.size_diff / count, s.count_diff / count, s.traceback[0].filename) for s in stats]
                total = sum(r[0] for r in rows)
                (flag_dir / "result.json").write_text(json.dumps({"count": count, "total": total, "rows": rows[:25]}))
                return

    async def main():
        config = uvicorn.Config(
            "community.asgi:application",
            host="127.0.0.1",
            port=port,
            loop="none",
            http="httptools",
            ws="websockets-sansio",
            ws_max_size=65536,
            ws_per_message_deflate=deflate,
            ws_ping_interval=20,
            ws_ping_timeout=20,
            log_level="error",
        )
        server = uvicorn.Server(config)
        watcher = asyncio.get_running_loop().create_task(watch())
        serving = asyncio.get_running_loop().create_task(server.serve())
        await watcher
        server.should_exit = True
        await serving

    uvloop.run(main())


async def connect_all(port: int, sessions: dict, count: int, flag_dir: Path, deflate: bool) -> None:
    import websockets

    async def one(cookie: str):
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/chat/{sessions['room']}/",
            additional_headers={"Cookie": f"sessionid={cookie}", "Origin": f"http://127.0.0.1:{port}"},
            compression="deflate" if deflate else None,
            max_size=None,
        )
        await socket.recv()  # hello
        return socket

    (flag_dir / "before").write_text("")
    while not (flag_dir / "before.done").exists():
        await asyncio.sleep(0.2)
    sockets = []
    members = sessions["members"]
    for start in range(0, count, 25):
        sockets += await asyncio.gather(*(one(members[n]["sessionid"]) for n in range(start, min(count, start + 25))))
    await asyncio.sleep(2)  # presence and catch-up settle
    (flag_dir / "after").write_text(str(count))
    while not (flag_dir / "result.json").exists():
        await asyncio.sleep(0.3)
    for socket in sockets:
        await socket.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--port", type=int, default=8377)
    parser.add_argument("--deflate", action="store_true", help="offer permessage-deflate and let the server take it")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the child process: its flag folder
    args = parser.parse_args()
    if args.serve:
        serve(args.port, Path(args.serve), args.deflate)
        return

    sessions_file = Path(tempfile.mkstemp(suffix=".json")[1])
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "chat_bench_sessions",
            "--members",
            str(args.clients),
            "--allow-production",
            "--output",
            str(sessions_file),
        ],
        cwd=ROOT,
        check=True,
    )
    sessions = json.loads(sessions_file.read_text())
    with tempfile.TemporaryDirectory() as flags:
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", flags, "--port", str(args.port), *(["--deflate"] * args.deflate)],
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 180  # importing Django under tracemalloc is slow
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2).close()
                    break
                except OSError:
                    if child.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.5)
            asyncio.run(connect_all(args.port, sessions, args.clients, Path(flags), args.deflate))
            result = json.loads((Path(flags) / "result.json").read_text())
        finally:
            child.wait(timeout=30)
    deflate = "on" if args.deflate else "off"
    print(f"load average {os.getloadavg()[0]:.1f}; {result['count']} sockets; deflate {deflate}")
    print(f"traced Python memory per socket: {result['total'] / 1024:.1f} KiB")
    for size, blocks, filename in result["rows"]:
        where = os.path.relpath(filename, ROOT) if filename.startswith(str(ROOT)) else filename
        print(f"{size / 1024:7.2f} KiB {blocks:6.1f} blocks  {where}")


if __name__ == "__main__":
    main()
