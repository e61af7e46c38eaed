"""A bare `websockets` broadcast server: the reference the chat server's fan-out is measured against.

It speaks just enough of the chat protocol for bench/chat_fanout.py: `hello` (with the latest seq) on connect,
`send` -> one `message` frame with the next seq to every socket (serialised once, written with
websockets.broadcast), `catch_up` -> the stored messages after `after_seq`, then `caught_up`. No sign-in, no
database, no Django: what is left is the cost of the WebSocket framing and socket writes in Python, which is the
floor for any Python server doing the same fan-out on this machine.

    .venv/bin/python bench/bare_broadcast.py --port 8199
    .venv/bin/python bench/chat_fanout.py --port 8199 --clients 200 --bare --server-pid <its pid>
"""

import argparse
import asyncio
import json
import time

from websockets.asyncio.server import broadcast, serve


class Room:
    def __init__(self):
        self.sockets = set()
        self.messages: list[str] = []  # frame text by seq - 1

    @property
    def seq(self) -> int:
        return len(self.messages)


ROOM = Room()


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


async def handler(ws):
    await ws.send(encode({"type": "hello", "seq": ROOM.seq, "now": time.time()}))
    ROOM.sockets.add(ws)
    try:
        async for text in ws:
            try:
                frame = json.loads(text)
            except ValueError:
                continue
            kind = frame.get("type")
            if kind == "send":
                seq = ROOM.seq + 1
                message = encode(
                    {
                        "type": "message",
                        "seq": seq,
                        "id": seq,
                        "body": str(frame.get("body", ""))[:4000],
                        "client_id": str(frame.get("client_id", ""))[:64],
                        "created_at": time.time(),
                    }
                )
                ROOM.messages.append(message)
                broadcast(ROOM.sockets, message)
            elif kind == "catch_up":
                after = int(frame.get("after_seq") or 0)
                upto = ROOM.seq
                for text_out in ROOM.messages[max(0, after) : upto][:200]:
                    await ws.send(text_out)
                more = upto - max(0, after) > 200
                await ws.send(encode({"type": "caught_up", "seq": min(upto, after + 200), "more": more}))
    finally:
        ROOM.sockets.discard(ws)


async def main(host: str, port: int) -> None:
    # No compression (the load client offers none either) and no pings: the same work the chat server does.
    async with serve(handler, host, port, compression=None, ping_interval=None, max_size=65536, backlog=2048):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop (when installed)")
    args = parser.parse_args()
    if args.uvloop:
        import uvloop

        uvloop.run(main(args.host, args.port))
    else:
        asyncio.run(main(args.host, args.port))
