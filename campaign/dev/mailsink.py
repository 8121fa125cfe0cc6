"""A local SMTP server that accepts every message and keeps it: as .eml files, or in memory for tests."""

import os
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


class Mailbox:
    """Messages received, in memory; thread-safe, with a wait for tests."""

    def __init__(self):
        self._messages: list[EmailMessage] = []
        self._changed = threading.Condition()

    def add(self, message: EmailMessage) -> None:
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()

    @property
    def messages(self) -> list[EmailMessage]:
        with self._changed:
            return list(self._messages)

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until at least `count` messages arrived (or fail after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {count} messages, got {len(self._messages)}")
                self._changed.wait(remaining)
            return list(self._messages)


class SinkHandler:
    """aiosmtpd handler: keep each message in a Mailbox and/or write it as <time>-<n>.eml."""

    def __init__(self, mailbox: Mailbox | None = None, directory: str | None = None):
        self.mailbox = mailbox
        self.directory = Path(directory) if directory else None
        self._n = 0
        if self.directory:
            self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        if self.directory is not None:
            try:
                self._write(raw)
            except OSError:
                # A full disk (or quota) is temporary: say so as a real relay does (RFC 5321 452), so
                # senders retry later instead of recording the recipient as undeliverable.
                return "452 4.3.1 Insufficient system storage"
        if self.mailbox is not None:
            self.mailbox.add(message)
        return "250 Message accepted for delivery"

    def _write(self, raw: bytes) -> None:
        self._n += 1
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{self._n:06d}.eml"
        temporary = self.directory / (name + ".tmp")
        try:
            temporary.write_bytes(raw)
            temporary.rename(self.directory / name)  # readers never see half a file
        except OSError:
            temporary.unlink(missing_ok=True)
            raise


def start(
    port: int, mailbox: Mailbox | None = None, directory: str | None = None, handler=None, smtputf8=True
) -> Controller:
    controller = Controller(
        handler or SinkHandler(mailbox, directory),
        hostname="127.0.0.1",
        port=port,
        decode_data=False,
        enable_SMTPUTF8=smtputf8,
    )
    controller.start()
    return controller


def main() -> None:
    """`python -m campaign.dev.mailsink`: write every message into MAIL_SINK_DIR (default instance/mail)."""
    from campaign.config import load

    settings = load()
    directory = settings["MAIL_SINK_DIR"]
    port = int(settings["MAIL_PORT"])
    controller = start(port, directory=directory)
    print(f"mail sink on 127.0.0.1:{port}, writing .eml files into {directory}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
