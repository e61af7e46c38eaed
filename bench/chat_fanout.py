"""Chat fan-out load client: N members in one room, M messages at a set rate, send-to-receive latency.

Speaks the chat protocol (DESIGN.md) to any running server, or to bench/bare_broadcast.py (the reference).
Sessions come from the management command `chat_bench_sessions` (or pass --make-sessions to run it here
against the same settings and database as the server). --spawn starts the server itself (one or more
processes, each on its own port) and stops it afterwards:

    .venv/bin/python bench/chat_fanout.py --spawn uvicorn --clients 200 --make-sessions --reconnect-all

Prints p50/p95/p99 latency (from a sender's `send` to each member's receipt, all on this machine's clock),
messages and deliveries per second, per-member counts of lost, doubled and out-of-order messages (a frame
whose seq is lower than one received before it), the server's CPU per message and memory per connection
(from /proc, the server process and its children), and how long connecting took. A member whose socket the
server closes reconnects and catches up, as the page does (not after 4401, 4403 or 4429, nor after 4408 unless
its reason says it fell behind); what it then receives through `catch_up` counts as recovered, not as live.
Lost messages are asked for with `catch_up` at the end, and the count still missing after that is printed too.

Modes:
- --ramp: add --ramp-step members at a time and run --ramp-messages messages at each size, until p95 passes
  --ramp-p95 ms or anything is lost; "held" is the largest size that passed.
- --reconnect-all: after the run, every member drops its socket and all reconnect at once, each sending
  `catch_up` from the last seq it saw, while --gap-messages were sent meanwhile; reports the time until the
  last of them has caught up, and anything still missing.
- Two or more processes: --processes 2 with --spawn (ports --port, --port + 1, ...), or --ports 8100,8101
  for servers already running; members are spread over them in turn. They must share a Redis channel layer.
"""

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
APP = "community.asgi:application"
# Close codes after which the page does not reconnect (static/js/chat.js); 4408 only for a sanction.
FINAL_CLOSE_CODES = {4401, 4403, 4429}
FELL_BEHIND_REASON = "too slow"


def server_command(kind: str, host: str, port: int) -> list[str]:
    """How each candidate ASGI server is started for the bench: one process, loopback, no access log."""
    bin_ = str(VENV_BIN)
    commands = {
        "daphne": [f"{bin_}/daphne", "-b", host, "-p", str(port), "--websocket-max-message-size", "65536", APP],
        "granian": [
            f"{bin_}/granian",
            "--interface",
            "asgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            "1",
            "--loop",
            "uvloop",
            "--no-access-log",
            APP,
        ],
        "hypercorn": [f"{bin_}/hypercorn", "-b", f"{host}:{port}", "-k", "uvloop", "--backlog", "2048", APP],
        "bare": [sys.executable, str(ROOT / "bench" / "bare_broadcast.py"), "--host", host, "--port", str(port)],
        "bare-uvloop": [
            sys.executable,
            str(ROOT / "bench" / "bare_broadcast.py"),
            "--host",
            host,
            "--port",
            str(port),
            "--uvloop",
        ],
    }
    for ws in ("websockets", "websockets-sansio", "wsproto"):
        name = "uvicorn" if ws == "websockets" else f"uvicorn-{ws}"
        commands[name] = [
            f"{bin_}/uvicorn",
            "--host",
            host,
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--ws",
            ws,
            "--ws-max-size",
            "65536",
            "--ws-per-message-deflate",
            "false",
            "--backlog",
            "2048",
            "--no-access-log",
            APP,
        ]
    return commands[kind]


SERVER_KINDS = (
    "daphne",
    "uvicorn",
    "uvicorn-websockets-sansio",
    "uvicorn-wsproto",
    "granian",
    "hypercorn",
    "bare",
    "bare-uvloop",
)


def wait_for_port(host: str, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server listening on {host}:{port} after {timeout} s")


def port_in_use(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def spawn(kind: str, host: str, ports: list[int], log_dir: Path, app_dir: Path) -> list[subprocess.Popen]:
    busy = [port for port in ports if port_in_use(host, port)]
    if busy:  # something else would answer in place of the server measured
        raise SystemExit(f"port(s) {busy} already in use")
    procs = []
    for port in ports:
        log = open(log_dir / f"chat-bench-{kind}-{port}.log", "w")  # noqa: SIM115 - kept open for the process
        procs.append(
            subprocess.Popen(
                server_command(kind, host, port),
                cwd=app_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for port in ports:
        wait_for_port(host, port)
    return procs


# --- /proc: CPU and memory of a process and its children ------------------------------------------------


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                children = Path(f"/proc/{p}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
        except OSError:
            continue
    return pids


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU of the server processes (and their children) so far."""
    if not pids:
        return None
    total = 0.0
    for pid in {p for root in pids for p in _tree(root)}:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_kb(pids: list[int]) -> int | None:
    """Resident memory of the server processes (and their children), in kB."""
    if not pids:
        return None
    total = 0
    for pid in {p for root in pids for p in _tree(root)}:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- a member -------------------------------------------------------------------------------------------


class Member:
    def __init__(self, index: int, sessionid: str, url: str, origin: str):
        self.index = index
        self.sessionid = sessionid
        self.url = url
        self.origin = origin
        self.ws = None
        self.hello_seq = 0
        self.last_seq = 0  # the highest seq seen, live or through catch_up
        self.received: dict[str, list[float]] = {}  # client_id -> receipt times (more than one: doubled)
        self.seqs_in_order: list[int] = []
        self.errors: list[dict] = []
        self.caught_up = asyncio.Event()
        self.catch_up_ids: set[str] = set()
        self.catching_up = False
        self.outbox: dict[str, str] = {}  # client_id -> body, until its message comes back
        self.open_event = asyncio.Event()
        self.closes: dict[str, int] = {}  # "code reason" -> count, for closes the server chose
        self.stopping = False
        self.gave_up = False
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        """Connect (raises if the first connection fails), then keep the socket open until stop()."""
        await self._open()
        self.task = asyncio.create_task(self._run())

    async def _open(self) -> None:
        self.open_event.clear()
        self.ws = await connect(
            self.url,
            additional_headers={"Cookie": f"sessionid={self.sessionid}"},
            origin=self.origin,
            max_size=2**20,
            ping_interval=None,
            open_timeout=120,
            compression=None,
        )
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 60))
        if hello.get("type") != "hello":
            raise RuntimeError(f"member {self.index}: expected hello, got {hello}")
        self.hello_seq = hello["seq"]
        if not self.last_seq:
            self.last_seq = hello["seq"]
        self.open_event.set()

    async def _run(self) -> None:
        attempts = 0
        while True:
            await self._read()
            if self.stopping:
                return
            code, reason = self.ws.close_code, self.ws.close_reason or ""
            key = f"{code} {reason}".strip()
            self.closes[key] = self.closes.get(key, 0) + 1
            if code in FINAL_CLOSE_CODES or (code == 4408 and FELL_BEHIND_REASON not in reason):
                self.gave_up = True
                return
            # Backoff with jitter, as the page does, so that a shed crowd does not come back all at once.
            await asyncio.sleep(min(15.0, 0.5 * 2**attempts) * (0.5 + random.random() / 2))
            attempts += 1
            try:
                await self._open()
            except Exception:  # noqa: BLE001 - try again later
                continue
            attempts = 0
            await self.catch_up(self.last_seq)
            for client_id, body in list(self.outbox.items()):  # resent under the same client_id: stored once
                await self._send_frame({"type": "send", "body": body, "client_id": client_id})

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                now = time.perf_counter()
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "message":
                    client_id = frame.get("client_id") or ""
                    self.outbox.pop(client_id, None)
                    self.last_seq = max(self.last_seq, frame.get("seq", 0))
                    if self.catching_up:
                        self.catch_up_ids.add(client_id)
                        continue
                    self.received.setdefault(client_id, []).append(now)
                    self.seqs_in_order.append(frame["seq"])
                elif kind == "error":
                    self.errors.append(frame)
                elif kind == "caught_up":
                    self.last_seq = max(self.last_seq, frame.get("seq", 0))
                    if frame.get("more"):
                        await self._send_frame({"type": "catch_up", "after_seq": frame["seq"]})
                    else:
                        self.catching_up = False
                        self.caught_up.set()
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001 - a broken socket shows up as lost messages
            pass

    async def _send_frame(self, frame: dict) -> bool:
        try:
            await self.ws.send(json.dumps(frame))
            return True
        except Exception:  # noqa: BLE001 - closed meanwhile: the reconnect resends what is unanswered
            return False

    async def catch_up(self, after_seq: int) -> None:
        """Ask for everything after `after_seq`; frames until caught_up count as recovered, not as live."""
        self.catch_up_ids.clear()
        self.caught_up.clear()
        self.catching_up = True
        await self._send_frame({"type": "catch_up", "after_seq": after_seq})

    async def send_message(self, client_id: str, body: str) -> bool:
        self.outbox[client_id] = body
        return await self._send_frame({"type": "send", "body": body, "client_id": client_id})

    @property
    def is_open(self) -> bool:
        return self.ws is not None and self.open_event.is_set() and self.ws.state.name == "OPEN"

    async def stop(self) -> None:
        self.stopping = True
        if self.task:
            self.task.cancel()
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:  # noqa: BLE001
                pass

    def reset_round(self) -> None:
        self.received.clear()
        self.seqs_in_order.clear()
        self.errors.clear()


# --- sessions -------------------------------------------------------------------------------------------


def make_sessions(count: int, room: str, settings: str, app_dir: Path = ROOT) -> dict:
    command = [sys.executable, "manage.py", "chat_bench_sessions", "--members", str(count), "--room", room]
    if settings.endswith("production"):
        command.append("--allow-production")
    out = subprocess.run(
        command, cwd=app_dir, env={**os.environ, "DJANGO_SETTINGS_MODULE": settings}, check=True, capture_output=True
    )
    return json.loads(out.stdout)


class Bench:
    def __init__(self, args, sessions: list[dict], room: str):
        self.args = args
        self.sessions = sessions
        self.room = room
        self.members: list[Member] = []
        self.pids: list[int] = args.server_pids

    def url_for(self, index: int) -> tuple[str, str]:
        port = self.args.ports[index % len(self.args.ports)]
        return f"ws://{self.args.host}:{port}/ws/chat/{self.room}/", f"http://{self.args.host}:{port}"

    def new_member(self, index: int) -> Member:
        url, origin = self.url_for(index)
        return Member(index, self.sessions[index]["sessionid"], url, origin)

    async def grow(self, count: int) -> dict:
        """Connect members until there are `count`, in batches; returns connect time and memory growth."""
        rss_before = rss_kb(self.pids)
        cpu_before = cpu_seconds(self.pids)
        started = time.perf_counter()
        new = [self.new_member(i) for i in range(len(self.members), count)]
        for batch in range(0, len(new), self.args.connect_batch):
            await asyncio.gather(*(m.start() for m in new[batch : batch + self.args.connect_batch]))
        self.members.extend(new)
        seconds = time.perf_counter() - started
        await asyncio.sleep(1.0)  # let the server finish the presence work of the last ones
        rss_after = rss_kb(self.pids)
        cpu = cpu_seconds(self.pids)
        out = {"connected": len(new), "connect_seconds": round(seconds, 2)}
        if cpu is not None and new:
            out["server_cpu_ms_per_connect"] = round((cpu - cpu_before) * 1000 / len(new), 2)
        if rss_before is not None and new:
            out["server_rss_mb"] = round(rss_after / 1024, 1)
            out["rss_per_connection_kb"] = round((rss_after - rss_before) / len(new), 1)
        return out

    async def measure(self, messages: int) -> dict:
        args, members = self.args, self.members
        for m in members:
            m.reset_round()
        start_seq = max(m.last_seq for m in members)
        senders = members[: args.senders]
        await asyncio.sleep(0.5)  # let presence chatter settle
        load = load_average()
        server_cpu_before = cpu_seconds(self.pids)
        client_cpu_before = time.process_time()
        run_id = uuid.uuid4().hex[:8]
        sent_at: dict[str, float] = {}
        t0 = time.perf_counter()
        for i in range(messages):
            due = t0 + i / args.rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id = f"bench-{run_id}-{i}"
            # The next sender whose socket is open (one that was closed resends on reconnect).
            for k in range(len(senders)):
                sender = senders[(i + k) % len(senders)]
                if sender.is_open:
                    break
            sent_at[client_id] = time.perf_counter()
            await sender.send_message(client_id, f"bench message {i}")
        send_seconds = time.perf_counter() - t0

        expected = set(sent_at)
        deadline = time.perf_counter() + args.drain
        while time.perf_counter() < deadline:
            if all(expected <= (m.received.keys() | m.catch_up_ids) and not m.catching_up for m in members):
                break
            await asyncio.sleep(0.05)
        server_cpu = cpu_seconds(self.pids)
        server_cpu = server_cpu - server_cpu_before if server_cpu is not None else None
        client_cpu = time.process_time() - client_cpu_before

        latencies, last_receipt = [], t0
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
        for _ in range(100):  # members still reconnecting come back first
            if all(m.is_open or m.gave_up for m in members):
                break
            await asyncio.sleep(0.2)
        gappy = [m for m in members if not expected <= (m.received.keys() | m.catch_up_ids) and m.is_open]
        recovered_before = {m.index: set(m.catch_up_ids) for m in gappy}
        for m in gappy:
            await m.catch_up(start_seq)
        missing = 0
        for m in members:
            if m in gappy:
                try:
                    await asyncio.wait_for(m.caught_up.wait(), 60)
                except TimeoutError:
                    pass
                got = m.received.keys() | m.catch_up_ids | recovered_before[m.index]
            else:
                got = m.received.keys() | m.catch_up_ids
            missing += len(expected - got)

        closes: dict[str, int] = {}
        for m in members:
            for key, n in m.closes.items():
                closes[key] = closes.get(key, 0) + n
            m.closes.clear()
        duration = max(last_receipt - t0, 1e-9)
        return {
            "clients": len(members),
            "messages": messages,
            "load_avg": load,
            "send_seconds": round(send_seconds, 2),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "messages_per_s": round(messages / duration, 1),
            "deliveries_per_s": round(deliveries / duration, 1),
            "live_deliveries": deliveries,
            "lost_live": lost,
            "lost_after_catch_up": missing,
            "doubled": doubled,
            "out_of_order": out_of_order,
            "server_closes": closes,
            "gave_up": sum(m.gave_up for m in members),
            "server_cpu_ms_per_message": round(server_cpu * 1000 / messages, 2) if server_cpu is not None else None,
            "client_cpu_ms_per_message": round(client_cpu * 1000 / messages, 2),
            "refused": sum(len(m.errors) for m in senders),
            "refused_codes": sorted({e.get("code") for m in senders for e in m.errors if e.get("code")}),
        }

    async def reconnect_all(self, gap_sender: Member) -> dict:
        """Every member drops its socket; --gap-messages are sent meanwhile; all reconnect at once, each asking
        catch_up from the last seq it saw. Time until the last one has everything."""
        members = self.members
        await asyncio.gather(*(m.stop() for m in members))
        run_id = uuid.uuid4().hex[:8]
        expected = set()
        for i in range(self.args.gap_messages):
            client_id = f"gap-{run_id}-{i}"
            expected.add(client_id)
            await gap_sender.send_message(client_id, f"while you were away {i}")
            await asyncio.sleep(1 / self.args.rate)
        while gap_sender.outbox:  # stored before anyone reconnects
            await asyncio.sleep(0.05)
        cpu_before = cpu_seconds(self.pids)
        fresh = [self.new_member(m.index) for m in members]
        for old, new in zip(members, fresh, strict=True):
            new.last_seq = old.last_seq
        failures = 0
        started = time.perf_counter()

        async def come_back(m: Member) -> float | None:
            nonlocal failures
            for _ in range(5):
                try:
                    await m.start()
                    break
                except Exception:  # noqa: BLE001
                    failures += 1
                    await asyncio.sleep(0.5 + random.random())
            else:
                return None
            await m.catch_up(m.last_seq)
            try:
                await asyncio.wait_for(m.caught_up.wait(), self.args.drain + 60)
            except TimeoutError:
                return None
            return time.perf_counter() - started

        times = await asyncio.gather(*(come_back(m) for m in fresh))
        cpu = cpu_seconds(self.pids)
        self.members = fresh
        missing = sum(len(expected - (m.catch_up_ids | m.received.keys())) for m in fresh)
        done = [t for t in times if t is not None]
        return {
            "reconnect_members": len(fresh),
            "reconnect_gap_messages": len(expected),
            "reconnect_all_seconds": round(max(done), 2) if done else None,
            "reconnect_p50_seconds": round(percentile(done, 50), 2) if done else None,
            "reconnect_not_caught_up": len(times) - len(done),
            "reconnect_retries": failures,
            "reconnect_missing": missing,
            "reconnect_server_cpu_s": round(cpu - cpu_before, 2) if cpu is not None else None,
            "reconnect_server_cpu_ms_each": round((cpu - cpu_before) * 1000 / len(fresh), 2) if cpu else None,
        }

    async def close(self) -> None:
        await asyncio.gather(*(m.stop() for m in self.members))


async def run(args) -> dict:
    top = args.ramp_max if args.ramp else args.clients
    needed = top + 1  # one more: the warm-up member, which also sends while the others are away
    if args.bare:
        data = {"room": args.room, "members": [{"sessionid": "bare"}] * needed}
    elif args.make_sessions:
        data = make_sessions(needed, args.room, args.settings, args.app_dir)
    else:
        data = json.loads(Path(args.sessions).read_text())
    if len(data["members"]) < needed:
        raise SystemExit(f"only {len(data['members'])} sessions for {needed} members")
    # The warm-up member takes the last session; the bench members take the first ones.
    sessions = data["members"][:top] + [data["members"][top]]
    bench = Bench(args, sessions, data.get("room", args.room))
    warm = bench.new_member(top)
    await warm.start()  # the server's first socket loads code and starts its hub: not counted per connection
    await asyncio.sleep(1.0)
    result: dict = {"server": args.spawn or "running", "processes": len(args.ports), "load_avg_start": load_average()}
    try:
        if args.ramp:
            steps, held = [], 0
            size = args.clients
            while size <= args.ramp_max:
                grown = await bench.grow(size)
                step = {**grown, **(await bench.measure(args.ramp_messages))}
                steps.append(step)
                print(json.dumps(step), file=sys.stderr, flush=True)
                if step["p95_ms"] > args.ramp_p95 or step["lost_after_catch_up"] or math.isnan(step["p95_ms"]):
                    break
                held = size
                size += args.ramp_step
            result.update({"held": held, "ramp_p95_limit_ms": args.ramp_p95, "steps": steps})
        else:
            result.update(await bench.grow(args.clients))
            result.update(await bench.measure(args.messages))
            if args.reconnect_all:
                result.update(await bench.reconnect_all(warm))
    finally:
        await bench.close()
        await warm.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100, help="the (first) server port")
    parser.add_argument("--ports", help="comma-separated ports of running servers (members spread over them)")
    parser.add_argument("--spawn", choices=SERVER_KINDS, help="start this server (one process per port) and stop it")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT, help="the project tree to serve (default: this one), e.g. a snapshot"
    )
    parser.add_argument("--processes", type=int, default=1, help="with --spawn: how many server processes")
    parser.add_argument("--bare", action="store_true", help="the server is bench/bare_broadcast.py (no sessions)")
    parser.add_argument("--room", default="bench")
    parser.add_argument("--clients", type=int, default=50, help="members connected to the room (up to 2000)")
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
    parser.add_argument("--server-pid", help="the server's process id(s), comma-separated, for CPU and memory")
    parser.add_argument("--reconnect-all", action="store_true", help="then all members reconnect at once")
    parser.add_argument("--gap-messages", type=int, default=20, help="sent while everyone is away")
    parser.add_argument("--ramp", action="store_true", help="add members until p95 passes --ramp-p95")
    parser.add_argument("--ramp-step", type=int, default=100)
    parser.add_argument("--ramp-max", type=int, default=2000)
    parser.add_argument("--ramp-messages", type=int, default=100)
    parser.add_argument("--ramp-p95", type=float, default=250.0)
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of a table")
    args = parser.parse_args()
    if max(args.clients, args.ramp_max if args.ramp else 0) > 2000:
        parser.error("at most 2000 clients")
    args.senders = max(1, min(args.senders, args.clients))
    args.bare = args.bare or (args.spawn or "").startswith("bare")
    if args.ports:
        args.ports = [int(p) for p in args.ports.split(",")]
    else:
        args.ports = [args.port + i for i in range(args.processes if args.spawn else 1)]
    args.server_pids = [int(p) for p in args.server_pid.split(",")] if args.server_pid else []
    # `timeout` and Ctrl-C end the run through the finally below, which stops the servers it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    procs = []
    if args.spawn:
        procs = spawn(args.spawn, args.host, args.ports, Path(os.environ.get("TMPDIR", "/tmp")), args.app_dir)
        args.server_pids = [p.pid for p in procs]
    try:
        try:
            import uvloop
        except ImportError:
            result = asyncio.run(run(args))
        else:  # the load client is on the same two cores: keep it as cheap as possible
            result = uvloop.run(run(args))
    finally:
        for p in procs:
            os.killpg(p.pid, 15)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
    if args.json:
        print(json.dumps(result))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        if key == "steps":
            for step in value:
                print(json.dumps(step))
            continue
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
