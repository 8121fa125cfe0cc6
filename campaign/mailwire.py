"""A message's bytes for the wire, written directly for the shape nearly every mail has.

The email package builds a tree of MIME objects for each message, re-encodes every header and walks
the tree to write it: most of a mail's CPU in the workers. A mail here is a text part with an
optional HTML alternative, in UTF-8, to ASCII addresses; for that shape this writes the very bytes
the email package writes (Flask-Mail's structure, WIRE_POLICY below), with each header
folded once per distinct value rather than per message. Anything else (attachments, Cc, a charset)
returns None and goes through the email package, as do addresses that need SMTPUTF8 (campaign.mail);
tests/test_mail_wire.py holds the two to the same bytes.
"""

import functools
import re
import secrets
from email import base64mime, policy, quoprimime
from email.mime.image import MIMEImage
from email.utils import formatdate, parseaddr

import flask_mail

# Flask-Mail encodes every header itself (sanitize_subject, sanitize_address) before serialising with
# the SMTP policy, which parses each header again on the way out. compat32 with CRLF writes the same
# encoded headers and bodies, at well under half the cost (campaign.mail.Message uses it too).
WIRE_POLICY = policy.compat32.clone(linesep="\r\n", mangle_from_=False)
MAX_LINE = 78  # the policy's max_line_length: Header.encode folds longer lines
NEWLINES = re.compile(r"\r\n|\r|\n")
# An address Flask-Mail's sanitize_address returns unchanged: a dot-atom local part at an ASCII
# domain, without a display name.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{ATOM}(\.{ATOM})*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
# Header's line length (78) less "=?utf-8?q?" and "?=": what one encoded word's text may take.
ENCODED_WORD_ROOM = 78 - len("utf-8") - 7
BOUNDARY_STAND_IN = "=_" + "0" * 32  # as long as the real boundaries (campaign.mail.Message)


def header_line(name: str, value: str) -> str:
    """`name: value` folded as the policy folds it. A short, plain ASCII value is its own line;
    the rest go through the policy, once per distinct value."""
    if (
        len(name) + 2 + len(value) <= MAX_LINE
        and value.isascii()
        and value.isprintable()
        and "  " not in value
        and value == value.strip()
    ):
        return f"{name}: {value}\r\n"
    return _folded(name, value)


@functools.lru_cache(maxsize=4096)
def _folded(name: str, value: str) -> str:
    return WIRE_POLICY.fold(name, value)


def address(value) -> str:
    """Flask-Mail's sanitize_address, without its parsing and encoding for a plain address, or a
    (name, plain address) pair whose name is one encoded word (a letter's "Name via organisation")."""
    if isinstance(value, str) and PLAIN_ADDRESS.fullmatch(value):
        return value
    if isinstance(value, tuple) and len(value) == 2 and PLAIN_ADDRESS.fullmatch(value[1]):
        name, plain = value
        if not name:
            return plain
        word = _encoded_word(name)
        if word is not None:
            return f"{word} <{plain}>"
    if isinstance(value, str | tuple):
        return _sanitized(value)
    return flask_mail.sanitize_address(value)


def _encoded_word(name: str) -> str | None:
    """email.header.Header(name, "utf-8").encode() when that is a single RFC 2047 encoded word (it
    fits in one line): Q or B, whichever is shorter, as Flask-Mail's "utf-8" charset asks. None for
    a longer name, which the email package splits over several words."""
    data = name.encode("utf-8")
    b_length, q_length = base64mime.header_length(data), quoprimime.header_length(data)
    if min(b_length, q_length) > ENCODED_WORD_ROOM:
        return None
    if b_length < q_length:
        return base64mime.header_encode(data, "utf-8")
    return quoprimime.header_encode(data, "utf-8")


def envelope(value) -> str:
    """The address for MAIL FROM and RCPT TO: the plain address itself, else what smtplib would
    take out of Flask-Mail's sanitize_address (an IDN domain in punycode)."""
    if isinstance(value, str) and PLAIN_ADDRESS.fullmatch(value):
        return value
    if isinstance(value, tuple) and len(value) == 2 and PLAIN_ADDRESS.fullmatch(value[1]):
        return value[1]
    if isinstance(value, str | tuple):
        return _envelope_of(value)  # the sender ("Petities <petities@...>") is the same for every mail
    return parseaddr(flask_mail.sanitize_address(value))[1]


@functools.lru_cache(maxsize=1024)
def _envelope_of(value) -> str:
    return parseaddr(flask_mail.sanitize_address(value))[1]


@functools.lru_cache(maxsize=4096)
def _sanitized(value) -> str:
    return flask_mail.sanitize_address(value)


@functools.lru_cache(maxsize=1024)
def _subject_line(subject: str) -> str:
    return header_line("Subject", flask_mail.sanitize_subject(flask_mail.force_text(subject)))


@functools.lru_cache(maxsize=8)
def _multipart_header(subtype: str) -> tuple[str, str]:
    """The Content-Type line of a multipart, folded around a stand-in boundary: folding depends on
    the lengths and spaces only, so the real boundary (hex digits, as long) takes its place."""
    line = _folded("Content-Type", f'multipart/{subtype}; boundary="{BOUNDARY_STAND_IN}"')
    before, after = line.split(BOUNDARY_STAND_IN)
    return before, after


def _multipart(subtype: str, parts: list[bytes]) -> tuple[bytes, bytes]:
    """(headers, body) of a multipart holding `parts` (each a part's headers, blank line and body)."""
    boundary = "=_" + secrets.token_hex(16)
    before, after = _multipart_header(subtype)
    headers = f"{before}{boundary}{after}MIME-Version: 1.0\r\n".encode()
    delimiter = f"\r\n--{boundary}\r\n".encode()
    body = f"--{boundary}\r\n".encode() + delimiter.join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return headers, body


def _text_part(text: str, subtype: str) -> tuple[bytes, bytes]:
    body = NEWLINES.sub("\r\n", text)
    encoding = "7bit" if body.isascii() else "8bit"
    headers = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n"
    )
    return headers.encode(), body.encode("utf-8")


def inline_image_part(content_id: str, data: bytes) -> MIMEImage:
    """A PNG for the HTML part's cid: URL (the email package's part; campaign.mail and below use it)."""
    image = MIMEImage(data, "png")
    image.add_header("Content-ID", f"<{content_id}>")
    image.add_header("Content-Disposition", "inline", filename="logo.png")
    return image


@functools.lru_cache(maxsize=8)
def _inline_image(content_id: str, data: bytes) -> bytes:
    """A PNG shown by cid: in the HTML, as the email package writes it (campaign.mail._relate_images),
    made once per image: it is the same in every mail."""
    return inline_image_part(content_id, data).as_bytes(policy=WIRE_POLICY)


def wire_bytes(message) -> bytes | None:
    """The message as campaign.mail.Message.as_bytes writes it, or None when it is not of the shape
    written here. Expects message.date set (Flask-Mail's Connection.send sets it first)."""
    if (
        message.attachments
        or message.cc
        or message.charset
        or not isinstance(message.body, str)
        or set(message.alts) - {"html"}
        or not isinstance(message.alts.get("html", ""), str)
    ):
        return None
    if message.html is None:
        headers, body = _text_part(message.body, "plain")
    else:
        text, html = (
            b"\r\n".join(_text_part(message.body, "plain")),
            b"\r\n".join(_text_part(message.html, "html")),
        )
        images = getattr(message, "inline_images", ())
        if images:  # the logo beside the HTML that shows it (campaign.mail.with_logo)
            related_headers, related_body = _multipart(
                "related", [html, *(_inline_image(*i) for i in images)]
            )
            html = related_headers + b"\r\n" + related_body
        alt_headers, alt_body = _multipart("alternative", [text, html])
        headers, body = _multipart("mixed", [alt_headers + b"\r\n" + alt_body])
    lines = []
    if message.subject:
        lines.append(_subject_line(message.subject))
    lines.append(header_line("From", address(message.sender)))
    lines.append(header_line("To", ", ".join(list({address(r) for r in message.recipients}))))
    lines.append(header_line("Date", formatdate(message.date, localtime=True)))
    lines.append(header_line("Message-ID", message.msgId))
    if message.reply_to:
        lines.append(header_line("Reply-To", address(message.reply_to)))
    for name, value in (message.extra_headers or {}).items():
        lines.append(header_line(name, value))
    return headers + "".join(lines).encode("ascii") + b"\r\n" + body
