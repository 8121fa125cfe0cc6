"""Outgoing mail: Flask-Mail with a short SMTP timeout, and messages rendered from templates.

The timeout matters: a hanging relay must fail a job in seconds, not hold a worker for the whole
job timeout (Flask-Mail itself opens smtplib connections without one).
"""

import re
import secrets
import smtplib
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.utils import parseaddr

import flask_mail
from flask import current_app, render_template
from flask_mail import Connection, Mail
from markupsafe import escape

from campaign import mailwire
from campaign.i18n import current_locale, force_locale
from campaign.mail_logo import relate_images, with_logo
from campaign.mailwire import WIRE_POLICY

# For a recipient whose local part is not ASCII: its address goes into To as UTF-8 (RFC 6531).
SMTPUTF8_POLICY = policy.SMTPUTF8.clone(linesep="\r\n")


class Message(flask_mail.Message):
    # (Content-ID, PNG bytes) shown inside the HTML part by cid: URLs; see with_logo.
    inline_images: tuple = ()

    def as_bytes(self) -> bytes:
        if not _needs_smtputf8(self):
            return mailwire.wire_bytes(self) or self._message().as_bytes(policy=WIRE_POLICY)
        # Flask-Mail (and email.utils.formataddr) cannot write such an address: build the message
        # with a stand-in, then put the real To in, unencoded.
        recipients = self.recipients
        self.recipients = ["stand-in@invalid"]
        try:
            message = self._message()
        finally:
            self.recipients = recipients
        del message["To"]
        message["To"] = ", ".join(_address(recipient) for recipient in recipients)
        return message.as_bytes(policy=SMTPUTF8_POLICY)

    def _message(self):
        # The generator would pick each boundary at random and compile a regular expression to check
        # it against the text, for every mail. A random 128-bit boundary cannot collide with base64
        # bodies, which contain no "_", so the check is never needed.
        message = super()._message()
        if self.inline_images:
            relate_images(message, self.inline_images)
        for part in message.walk():
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary("=_" + secrets.token_hex(16))
        return message


class _PlainEnvelope:
    """smtplib quotes each envelope address by parsing it again (email.utils.parseaddr): a tenth of
    a letter's CPU. A plain address (campaign.mailwire.envelope) is written as it is."""

    def mail(self, sender, options=()):
        if not mailwire.PLAIN_ADDRESS.fullmatch(sender) or any(o.lower() == "smtputf8" for o in options):
            return super().mail(sender, options)
        self.putcmd("mail", f"from:<{sender}>{_option_list(self, options)}")
        return self.getreply()

    def rcpt(self, recip, options=()):
        if not mailwire.PLAIN_ADDRESS.fullmatch(recip):
            return super().rcpt(recip, options)
        self.putcmd("rcpt", f"to:<{recip}>{_option_list(self, options)}")
        return self.getreply()


def _option_list(host, options) -> str:
    return " " + " ".join(options) if options and host.does_esmtp else ""


class PlainSMTP(_PlainEnvelope, smtplib.SMTP):
    pass


class PlainSMTPSSL(_PlainEnvelope, smtplib.SMTP_SSL):
    pass


class TimedConnection(Connection):
    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        if self.mail.use_ssl:
            host = PlainSMTPSSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = PlainSMTP(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class TimedMail(Mail):
    def connect(self) -> Connection:
        return TimedConnection(current_app.extensions["mail"])


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an email: always PUBLIC_URL, never the Host header of some request.

    Works in a worker too, where there is no request to build URLs from.
    """
    adapter = current_app.url_map.bind("public.invalid", url_scheme="https")
    return current_app.config["PUBLIC_URL"] + adapter.build(endpoint, values)


def render_message(template: str, locale: str, recipients: list, **context) -> Message:
    """Render templates/email/<template>.txt and .html (and the subject block) in `locale`."""
    subject, text, html, headers = _render_parts(template, locale, context)
    return with_logo(
        Message(subject=subject, recipients=recipients, body=text, html=html, extra_headers=headers)
    )


def _render_parts(template: str, locale: str, context: dict) -> tuple[str, str, str, dict]:
    with force_locale(locale):
        used = current_locale()  # the language actually rendered (an unknown one falls back to Dutch)
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return subject, text, html, mail_headers(template, used)


def mail_headers(template: str, locale: str) -> dict:
    headers = {"Content-Language": locale}
    if template not in PERSONAL_TEMPLATES:
        headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to us, please
    return headers


# A supporter's letter to an official is their own message, not machine-made mail.
PERSONAL_TEMPLATES = {"letter"}


# Stands in for a personal value while a mail is rendered once for many recipients; letters and
# digits only, so HTML escaping and gettext's formatting leave it as it is.
_PERSONAL = "personal{}value7c3e9b"


class PersonalOnly:
    """The person in a mail rendered for many: only the attributes given exist. Anything else a
    template asks for fails loudly (Jinja would render a missing attribute as empty text)."""

    def __init__(self, **values: str):
        self.__dict__.update(values)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise RuntimeError(f"a mail rendered for many people used the personal value {name!r}")


def _stand_in(name: str, real, placeholders: dict, empty: list):
    if not isinstance(real, str):
        return real  # a flag the template branches on: the caller's cache_key holds it
    if not real:
        empty.append(name)
        return real
    placeholder = _PERSONAL.format(name)
    placeholders[placeholder] = real
    return placeholder


def render_personal(
    template: str,
    locale: str,
    recipients: list,
    *,
    cache: dict,
    cache_key: Hashable,
    shared: dict,
    personal: dict,
) -> Message:
    """render_message for one of many recipients of the same mail: rendered once per template,
    language and `cache_key` (kept in `cache`, e.g. for one batch, with the `shared` context), then
    each person's values put in, escaped in the HTML part. `personal` maps names to strings or to
    PersonalOnly objects of strings (or of flags, which `cache_key` must then include). The same
    message as render_message, without rendering the templates again for every recipient."""
    placeholders = {}  # placeholder -> the person's value
    stand_ins, empty = {}, []
    for name, value in personal.items():
        if isinstance(value, PersonalOnly):
            fields = {}
            for attr, real in vars(value).items():
                fields[attr] = _stand_in(f"{name}{attr}", real, placeholders, empty)
            stand_ins[name] = PersonalOnly(**fields)
        else:
            stand_ins[name] = _stand_in(name, value, placeholders, empty)
    # Templates branch on whether a value is there ("Beste %(name)s" or "Beste ondertekenaar"): an
    # empty value is rendered as itself, in its own variant.
    key = (template, locale, cache_key, tuple(empty))
    if key not in cache:
        cache[key] = _render_parts(template, locale, {**shared, **stand_ins})
    subject, text, html, headers = cache[key]
    for placeholder, real in placeholders.items():
        subject = subject.replace(placeholder, real)
        text = text.replace(placeholder, real)
        html = html.replace(placeholder, str(escape(real)))
    return with_logo(
        Message(subject=subject, recipients=recipients, body=text, html=html, extra_headers=dict(headers))
    )


# One SMTP connection per worker process (per thread), reused across jobs by every sender (letters to
# targets, supporters' confirmations): opening one per message, or per batch, would cap throughput far
# below what the relay accepts. Any error closes it: its state is then unknown.
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


def close_connection() -> None:
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
        close_connection()
    if held.host is None:
        held.host, held.key = TimedConnection(state).configure_host(), key
    connection = Connection(state)
    connection.host = held.host
    return connection


def _address(recipient) -> str:
    if isinstance(recipient, tuple):
        return recipient[1]
    if mailwire.PLAIN_ADDRESS.fullmatch(recipient):
        return recipient  # what parseaddr would find in it
    return parseaddr(recipient)[1]


def _needs_smtputf8(message: Message) -> bool:
    """A recipient whose address (not just its name) is not ASCII: only SMTPUTF8 can carry it."""
    return not all(_address(recipient).isascii() for recipient in message.send_to)


def _send_smtputf8(connection: Connection, message: Message) -> None:
    """For a non-ASCII address: Flask-Mail's Connection.send would push the envelope addresses
    through formataddr, which refuses them. A server without SMTPUTF8 raises SMTPNotSupportedError."""
    recipients = [_address(recipient) for recipient in message.send_to]
    _send(connection, message, flask_mail.sanitize_address(message.sender), recipients, ["SMTPUTF8"])


def _send_ascii(connection: Connection, message: Message) -> None:
    """The envelope's plain addresses taken as they are (mailwire.envelope) rather than encoded and
    then parsed again for every message."""
    recipients = [mailwire.envelope(recipient) for recipient in message.send_to]
    _send(connection, message, mailwire.envelope(message.sender), recipients, [])


def _send(connection: Connection, message: Message, sender: str, recipients: list, options: list) -> None:
    """Flask-Mail's Connection.send with the envelope given."""
    if message.has_bad_headers():
        raise flask_mail.BadHeaderError
    if message.date is None:
        message.date = time.time()
    connection.host.sendmail(
        sender, recipients, message.as_bytes(), [*message.mail_options, *options], message.rcpt_options
    )
    flask_mail.email_dispatched.send(current_app._get_current_object(), message=message)


def send(message: Message) -> None:
    """Send over the process's connection. Raises smtplib/OS errors (and Flask-Mail's or the email
    package's for a message that cannot be written); the caller classifies them (classify_failure).
    An address with a non-ASCII local part goes out with SMTPUTF8; a server that does not offer it
    answers with SMTPNotSupportedError, a permanent failure."""
    state = current_app.extensions["mail"]
    if state.suppress:
        Connection(state).send(message)  # no host: only the email_dispatched signal
        return
    try:
        if _needs_smtputf8(message):
            _send_smtputf8(_connection(state), message)
        else:
            _send_ascii(_connection(state), message)
    except BaseException:
        close_connection()
        raise
    held = _held()
    held.used_at, held.sent = time.monotonic(), held.sent + 1


# What a failed send means for the outbox that tried it (letters to targets, mail to supporters).
ADDRESS_IN_REPLY = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class MailFailure:
    permanent: bool  # trying again will not help: record it now
    text: str  # for the row's last error: a server's reply or the kind of error, with addresses cut out
    server_trouble: bool = False  # the server or the connection failed, not this message


def classify_failure(error: BaseException) -> MailFailure:
    """Every exception a send can raise, sorted: a 5xx reply, a message that cannot be written
    (BadHeaderError, UnicodeEncodeError, anything unexpected) and a server without SMTPUTF8 are
    permanent; 4xx replies, timeouts, refused and dropped connections are temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return _reply_failure(code, reply)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_failure(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return MailFailure(True, "the mail server does not offer SMTPUTF8 (non-ASCII address)")
    if isinstance(error, OSError):  # timeouts, refused or dropped connections, other SMTP trouble
        return MailFailure(False, _without_addresses(f"{type(error).__name__}: {error}"), server_trouble=True)
    # Not the server's doing: the message itself (its text may quote data, so only its kind is kept).
    return MailFailure(True, f"message could not be sent: {type(error).__name__}")


def _reply_failure(code: int, reply) -> MailFailure:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    text = _without_addresses(f"{code} {reply}")
    return MailFailure(500 <= code < 600, text, server_trouble=code == 421)


def _without_addresses(text: str) -> str:
    return ADDRESS_IN_REPLY.sub("<address>", text)[:500]


def retry_delay(attempts: int, first_seconds: int) -> timedelta:
    """Backoff after the `attempts`-th try failed: doubling from `first_seconds`, at most an hour."""
    return min(timedelta(seconds=first_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)
