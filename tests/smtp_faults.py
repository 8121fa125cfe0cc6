"""An SMTP server for delivery tests that can misbehave on request: answer 421, 451 or 550, hang on
DATA, or drop the connection after DATA. Messages it accepts go into a Mailbox, like the sink's."""

import asyncio
import threading
from collections import deque

import pytest

from campaign.dev import mailsink
from campaign.dev import redis_server as dev_redis

REPLIES = {
    "421": "421 4.3.2 Service not available, closing channel",
    "451": "451 4.3.0 Try again later",
    "550": "550 5.1.1 Mailbox unavailable",
}


class FaultyHandler(mailsink.SinkHandler):
    """Faults are taken in order, one per message (`fail_next`), or per recipient address (`refuse`)."""

    def __init__(self, mailbox: mailsink.Mailbox):
        super().__init__(mailbox)
        self.faults: deque[str] = deque()
        self.refused: dict[str, str] = {}
        self.hanging = threading.Event()  # set while a DATA is being held
        self.attempts = 0
        self._release = None

    def reset(self) -> None:
        self.faults.clear()
        self.refused.clear()
        self.hanging.clear()
        self.attempts = 0

    def fail_next(self, *modes: str) -> None:
        """Modes: 421, 451, 550, "hang" (keep the message but never answer), "drop" (close after DATA,
        losing the message), "drop-kept" (close after DATA, having kept it)."""
        self.faults.extend(modes)

    def refuse(self, address: str, reply: str = "550") -> None:
        self.refused[address.lower()] = reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.refused.get(address.lower())
        if reply:
            return REPLIES[reply]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.attempts += 1
        mode = self.faults.popleft() if self.faults else None
        if mode in REPLIES:
            return REPLIES[mode]
        if mode == "hang":
            await super().handle_DATA(server, session, envelope)  # the server took it, the answer never comes
            self.hanging.set()
            await asyncio.sleep(3600)
        if mode in ("drop", "drop-kept"):
            if mode == "drop-kept":
                await super().handle_DATA(server, session, envelope)
            server.transport.close()
            return "250 never seen"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="session")
def faulty_smtp():
    """(port, handler, mailbox) of a misbehaving SMTP server, shared by the session; reset per test."""
    mailbox = mailsink.Mailbox()
    handler = FaultyHandler(mailbox)
    port = dev_redis.free_port()
    controller = mailsink.start(port, handler=handler)
    yield port, handler, mailbox
    controller.stop()


@pytest.fixture
def smtp(faulty_smtp):
    """(handler, mailbox) of the misbehaving server, clean for this test."""
    _port, handler, mailbox = faulty_smtp
    handler.reset()
    mailbox.clear()
    yield handler, mailbox
    handler.reset()


@pytest.fixture(scope="session")
def no_smtputf8_port():
    """The port of a plain sink that does not offer SMTPUTF8, as many relays."""
    port = dev_redis.free_port()
    controller = mailsink.start(port, mailbox=mailsink.Mailbox(), smtputf8=False)
    yield port
    controller.stop()
