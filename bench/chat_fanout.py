"""Chat fan-out load client: N members in one room, M messages at a set rate, send-to-receive latency.

Speaks the chat protocol (DESIGN.md) to any running server. Sessions come from the management command
`chat_bench_sessions` (or pass --make-sessions to run it here against the same settings and database):

    DJANGO_SETTINGS_MODULE=community.settings.dev .venv/bin/daphne -b 127.0.0.1 -p 8100 community.asgi:application
    .venv/bin/python bench/chat_fanout.py --port 8100 --clients 200 --messages 300 --rate 10 --make-sessions

Prints p50/p95/p99 latency (from a sender's `send` to each member's receipt, all on this machine's clock),
messages and deliveries per second, and per-member counts of lost, doubled and out-of-order messages (a
frame whose seq is lower than one received before it). Lost messages are then asked for with `catch_up`,
as the page does, and the count still missing after that is printed too.
"""

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent


class Member:
    def __init__(self, index: int, sessionid: str):
        self.index = index
        self.sessionid = sessionid
        self.ws = None
        self.hello_seq = 0
        self.received: dict[str, list[float]] = {}  # client_id -> receipt times (more than one: doubled)
        self.seqs_in_order: list[int] = []
        self.errors: list[dict] = []
        self.caught_up = asyncio.Event()
        self.catch_up_ids: set[str] = set()
        self.reader: asyncio.Task | None = None
        self.catching_up = False

    async def open(self, url: str, origin: str) -> None:
        self.ws = await connect(
            url,
            additional_headers={"Cookie": f"sessionid={self.sessionid}"},
            origin=origin,
            max_size=2**20,
            ping_interval=None,
            open_timeout=60,
        )
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
        if hello.get("type") != "hello":
            raise RuntimeError(f"member {self.index}: expected hello, got {hello}")
        self.hello_seq = hello["seq"]
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                now = time.perf_counter()
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "message":
                    client_id = frame.get("client_id") or ""
                    if self.catching_up:
                        self.catch_up_ids.add(client_id)
                        continue
                    self.received.setdefault(client_id, []).append(now)
                    self.seqs_in_order.append(frame["seq"])
                elif kind == "error":
                    self.errors.append(frame)
                elif kind == "caught_up":
                    self.catching_up = False
                    self.caught_up.set()
        except Exception:  # noqa: BLE001 - a dropped socket shows up as lost messages
            pass

    async def catch_up(self, after_seq: int) -> None:
        """Ask for everything after `after_seq`; frames until caught_up count as recovered, not as live."""
        self.catch_up_ids.clear()
        self.caught_up.clear()
        self.catching_up = True
        await self.ws.send(json.dumps({"type": "catch_up", "after_seq": after_seq}))


def make_sessions(count: int, room: str, settings: str) -> dict:
    out = subprocess.run(
        [sys.executable, "manage.py", "chat_bench_sessions", "--members", str(count), "--room", room],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU of a process so far (Linux /proc), to report server CPU per message."""
    if not pid:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


async def run(args) -> dict:
    if args.make_sessions:
        data = make_sessions(args.clients, args.room, args.settings)
    else:
        data = json.loads(Path(args.sessions).read_text())
    sessions = data["members"][: args.clients]
    if len(sessions) < args.clients:
        raise SystemExit(f"only {len(sessions)} sessions for {args.clients} clients")
    room = data.get("room", args.room)
    url = f"ws://{args.host}:{args.port}/ws/chat/{room}/"
    origin = f"http://{args.host}:{args.port}"
    members = [Member(i, s["sessionid"]) for i, s in enumerate(sessions)]

    started = time.perf_counter()
    for batch in range(0, len(members), args.connect_batch):
        await asyncio.gather(*(m.open(url, origin) for m in members[batch : batch + args.connect_batch]))
    connect_seconds = time.perf_counter() - started
    start_seq = max(m.hello_seq for m in members)

    server_cpu_before = cpu_seconds(args.server_pid)
    client_cpu_before = time.process_time()
    run_id = uuid.uuid4().hex[:8]
    senders = members[: args.senders]
    sent_at: dict[str, float] = {}
    await asyncio.sleep(0.5)  # let presence chatter settle
    t0 = time.perf_counter()
    for i in range(args.messages):
        due = t0 + i / args.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        client_id = f"bench-{run_id}-{i}"
        sender = senders[i % len(senders)]
        sent_at[client_id] = time.perf_counter()
        await sender.ws.send(json.dumps({"type": "send", "body": f"bench message {i}", "client_id": client_id}))
    send_seconds = time.perf_counter() - t0

    # Wait for delivery to finish (or time out).
    deadline = time.perf_counter() + args.drain
    expected = set(sent_at)
    while time.perf_counter() < deadline:
        if all(expected <= m.received.keys() for m in members):
            break
        await asyncio.sleep(0.05)
    server_cpu = cpu_seconds(args.server_pid)
    server_cpu = server_cpu - server_cpu_before if server_cpu is not None else None
    client_cpu = time.process_time() - client_cpu_before
    refused = {e.get("code") for m in senders for e in m.errors}
    refused_count = sum(len(m.errors) for m in senders)

    latencies = []
    last_receipt = t0
    lost = doubled = out_of_order = 0
    for m in members:
        for client_id, times in m.received.items():
            if client_id not in sent_at:
                continue
            latencies.append((times[0] - sent_at[client_id]) * 1000)
            last_receipt = max(last_receipt, times[0])
            doubled += len(times) - 1
        lost += len(expected - m.received.keys())
        highest = 0
        for seq in m.seqs_in_order:
            if seq < highest:
                out_of_order += 1
            highest = max(highest, seq)
    deliveries = len(latencies)

    # Recover with catch_up, as the page does, for members that missed anything live.
    missing_after_catch_up = 0
    gappy = [m for m in members if not expected <= m.received.keys()]
    for m in gappy:
        await m.catch_up(start_seq)
    for m in gappy:
        try:
            await asyncio.wait_for(m.caught_up.wait(), 30)
        except TimeoutError:
            pass
        got = m.received.keys() | m.catch_up_ids
        missing_after_catch_up += len(expected - got)

    for m in members:
        await m.ws.close()
        if m.reader:
            m.reader.cancel()

    duration = max(last_receipt - t0, 1e-9)
    return {
        "clients": len(members),
        "messages": args.messages,
        "rate": args.rate,
        "senders": len(senders),
        "connect_seconds": round(connect_seconds, 2),
        "send_seconds": round(send_seconds, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "messages_per_s": round(args.messages / duration, 1),
        "deliveries_per_s": round(deliveries / duration, 1),
        "lost": lost,
        "lost_after_catch_up": missing_after_catch_up,
        "doubled": doubled,
        "out_of_order": out_of_order,
        "server_cpu_ms_per_message": round(server_cpu * 1000 / args.messages, 2) if server_cpu is not None else None,
        "client_cpu_ms_per_message": round(client_cpu * 1000 / args.messages, 2),
        "refused": refused_count,
        "refused_codes": sorted(c for c in refused if c),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--room", default="bench")
    parser.add_argument("--clients", type=int, default=50, help="members connected to the room (up to 500)")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="messages per second, all senders together")
    parser.add_argument(
        "--senders", type=int, default=10, help="members who send, in turn (keep each under the flood limit)"
    )
    parser.add_argument("--sessions", default="bench-sessions.json", help="JSON from chat_bench_sessions")
    parser.add_argument("--make-sessions", action="store_true", help="run chat_bench_sessions first")
    parser.add_argument("--settings", default=os.environ.get("DJANGO_SETTINGS_MODULE", "community.settings.dev"))
    parser.add_argument("--connect-batch", type=int, default=50)
    parser.add_argument("--drain", type=float, default=15.0, help="seconds to wait for the last deliveries")
    parser.add_argument("--server-pid", type=int, help="the server's process id, to report its CPU per message")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    args = parser.parse_args()
    if args.clients > 2000:
        parser.error("at most 2000 clients")
    args.senders = max(1, min(args.senders, args.clients))
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
