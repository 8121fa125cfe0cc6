"""One SMTP connection per worker process, reused across jobs (opening one per message would cap
throughput far below what the relay accepts). Any error closes it: its state is then unknown."""

import smtplib
import threading
import time

from flask import current_app
from flask_mail import Connection, Message

from campaign.mail import TimedConnection

IDLE_CHECK = 15.0  # seconds idle after which a NOOP checks the server has not hung up
MAX_PER_CONNECTION = 500  # some relays cap messages per connection; start afresh now and then


class _Held:
    def __init__(self):
        self.host = None
        self.key = None
        self.used_at = 0.0
        self.sent = 0


_local = threading.local()


def _held() -> _Held:
    if not hasattr(_local, "held"):
        _local.held = _Held()
    return _local.held


def close() -> None:
    held = _held()
    if held.host is not None:
        try:
            held.host.close()
        except OSError:
            pass
    held.host, held.key, held.sent = None, None, 0


def _fresh_enough(held: _Held) -> bool:
    if held.sent >= MAX_PER_CONNECTION:
        return False
    if time.monotonic() - held.used_at < IDLE_CHECK:
        return True
    try:
        return held.host.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _connection(state) -> Connection:
    held = _held()
    key = (state.server, state.port, state.username, state.use_tls, state.use_ssl)
    if held.host is not None and (held.key != key or not _fresh_enough(held)):
        close()
    if held.host is None:
        held.host, held.key = TimedConnection(state).configure_host(), key
    connection = Connection(state)
    connection.host = held.host
    return connection


def send(message: Message) -> None:
    """Send over the process's connection. Raises smtplib/OS errors; the caller classifies them."""
    state = current_app.extensions["mail"]
    if state.suppress:
        Connection(state).send(message)  # no host: only the email_dispatched signal
        return
    try:
        _connection(state).send(message)
    except BaseException:
        close()
        raise
    held = _held()
    held.used_at, held.sent = time.monotonic(), held.sent + 1
