"""The least memory per WebSocket connection an application can have under the server we deploy.

    .venv/bin/python bench/asgi_floor.py --clients 1000

Serves an ASGI application that does nothing but accept the socket and wait for it to close (no Django, no
Channels, no session) with each server of --servers, started as bench/chat_fanout.py starts it (Uvicorn with
the production flags: `uvicorn-websockets-sansio`), and the bare `websockets` server (bench/bare_broadcast.py);
opens --clients sockets to each with the same client and prints the growth of the server's resident memory per
connection (from /proc, as chat_fanout.py's kB/conn).
What the server itself keeps per socket is the floor under the chat's figure: docs/PERFORMANCE.md compares them.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chat_fanout import ROOT, load_average, rss_kb, spawn  # noqa: E402

EMPTY_APP = '''
async def app(scope, receive, send):
    """Accept a WebSocket and wait until it closes; nothing else."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass
'''


async def open_sockets(port: int, count: int, batch: int = 50) -> list:
    sockets = []
    url = f"ws://127.0.0.1:{port}/ws/"
    for start in range(0, count, batch):
        sockets += await asyncio.gather(
            *(connect(url, compression=None, open_timeout=30) for _ in range(min(batch, count - start)))
        )
    return sockets


async def measure(kind: str, port: int, count: int, app_dir: Path) -> dict:
    with tempfile.TemporaryDirectory() as logs:
        procs = spawn(kind, "127.0.0.1", [port], Path(logs), app_dir)
        try:
            pids = [p.pid for p in procs]
            await asyncio.sleep(1)
            before = rss_kb(pids)
            sockets = await open_sockets(port, count)
            await asyncio.sleep(1)
            after = rss_kb(pids)
            for ws in sockets:
                await ws.close()
        finally:
            for proc in procs:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return {"server": kind, "clients": count, "rss_per_connection_kb": round((after - before) / count, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8390)
    parser.add_argument(
        "--servers",
        default="uvicorn-websockets-sansio,bare",
        help="comma-separated, as chat_fanout.py --spawn names them (daphne, hypercorn, granian: installed by hand)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as app_dir:
        # server_command names the chat's application; the empty one is served under the same name and flags.
        app_path = Path(app_dir)
        (app_path / "community").mkdir()
        (app_path / "community" / "__init__.py").write_text("")
        (app_path / "community" / "asgi.py").write_text(EMPTY_APP + "\napplication = app\n")
        moment = time.strftime("%H:%M UTC", time.gmtime())
        print(f"load average {load_average()}; {args.clients} sockets each; {moment}")
        for kind in args.servers.split(","):
            directory = ROOT if kind.startswith("bare") else app_path
            print(json.dumps(asyncio.run(measure(kind, args.port, args.clients, directory))))


if __name__ == "__main__":
    main()
