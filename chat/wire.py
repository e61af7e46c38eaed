"""A broadcast frame framed once and written straight to each socket, under the server we deploy.

Through ASGI, every socket of a room costs a `websocket.send`: Uvicorn (websockets-sansio, docs/PERFORMANCE.md)
encodes the text, builds and serialises a WebSocket frame, joins and writes it, for each socket, the same bytes
every time. A frame from server to client carries no mask, and with no extension negotiated (the deploy turns
permessage-deflate off) its bytes do not depend on the socket. So the hub frames a broadcast once
(`frame_text`) and writes those bytes to each socket's transport (`DirectWriter.write`), as a plain `websockets`
broadcast server would: at 200 members this was the largest part of the server's CPU per message.

A direct write is taken only when everything Uvicorn's own `send` checks holds at that moment: the handshake is
done, no close was sent or received, the connection is open with no fragmented message in progress, the
transport is not closing and is writable (not paused by flow control because this member reads slowly).
Otherwise `write` answers False and the frame takes the ASGI way (ChatConsumer.push), which waits, queues and
bounds as before; so does every frame under any other server (Daphne, Hypercorn, the tests' communicator), for
which `direct_writer` gives None. Replies to one member (hello, answers, catch-up) always take the ASGI way.

This reads Uvicorn's protocol object, which is not a public interface: `direct_writer` checks the class and
every attribute it reads, and gives None (the ASGI way, only slower) if a Uvicorn upgrade changed them;
tests/chat/test_direct_writes.py runs the real server and fails if the direct way is no longer taken.
"""

import logging

from websockets.frames import Frame, Opcode
from websockets.protocol import State

logger = logging.getLogger(__name__)

_PROTOCOL_ATTRIBUTES = ("conn", "transport", "writable", "close_sent", "disconnected", "handshake_complete")
_CONNECTION_ATTRIBUTES = ("state", "extensions", "expect_continuation_frame")


def frame_text(text: str) -> bytes:
    """The bytes of one unmasked, unfragmented text frame carrying `text`, as a server sends it."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class DirectWriter:
    __slots__ = ("protocol",)

    def __init__(self, protocol):
        self.protocol = protocol

    def write(self, framed: bytes) -> bool:
        """Write one frame from frame_text if the socket can take it now, as Uvicorn's send would; else False."""
        protocol = self.protocol
        if protocol.close_sent or protocol.disconnected or not protocol.writable.is_set():
            return False
        conn = protocol.conn
        if conn.state is not State.OPEN or conn.expect_continuation_frame:
            return False
        transport = protocol.transport
        if transport.is_closing():
            return False
        transport.write(framed)
        return True


def _sansio_protocol_class():
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    except ImportError:  # Uvicorn, or its websockets extra, is not installed: the ASGI way for everything
        return None
    return WebSocketsSansIOProtocol


def direct_writer(send) -> DirectWriter | None:
    """A writer for the socket whose ASGI `send` this is, once accepted; None where frames must take the ASGI way
    (another server or protocol implementation, an extension such as permessage-deflate, an unknown Uvicorn)."""
    protocol = getattr(send, "__self__", None)
    cls = _sansio_protocol_class()
    if protocol is None or cls is None or not isinstance(protocol, cls):
        return None
    conn = getattr(protocol, "conn", None)
    if not all(hasattr(protocol, name) for name in _PROTOCOL_ATTRIBUTES) or not all(
        hasattr(conn, name) for name in _CONNECTION_ATTRIBUTES
    ):
        logger.warning("Uvicorn's websocket protocol has changed; chat broadcasts take the slower ASGI way")
        return None
    if conn.extensions or not protocol.handshake_complete:
        return None
    return DirectWriter(protocol)
