"""Evidence for an outcome: links, and documents uploaded to the media folder.

A document is accepted when its extension is one we know and its first bytes say the same (a PDF
starts with %PDF-, a PNG with its signature, and so on), and when it is not empty and not larger
than EVIDENCE_MAX_BYTES. It is stored under MEDIA_DIR/evidence/ with a random name of ours, written
to a temporary file first so a broken upload never leaves half a document behind.
"""

import os
import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from campaign import audit
from campaign.extensions import db
from campaign.impact import OutcomeError, checked_source_url
from campaign.models import Evidence, Outcome
from campaign.models.base import utcnow

# extension: (content type, how the file starts)
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}
MAX_LINKS = 20


def evidence_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"]) / "evidence"


def evidence_path(item: Evidence) -> Path:
    return evidence_dir() / item.stored_name


def add_links(outcome: Outcome, text: str) -> list[Evidence]:
    """One link per line; each must be http(s). Links already there are skipped."""
    urls = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(urls) > MAX_LINKS:
        raise OutcomeError(_("Geef hoogstens %(n)s links tegelijk.", n=MAX_LINKS), "links")
    known = {item.url for item in outcome.evidence} | {outcome.source_url}
    added = []
    for url in urls:
        try:
            url = checked_source_url(url)
        except OutcomeError as error:
            raise OutcomeError(str(error), "links") from None
        if url not in known:
            known.add(url)
            added.append(Evidence(outcome_id=outcome.id, url=url))
    db.session.add_all(added)
    db.session.flush()
    return added


def shown_file_name(raw: str) -> str:
    """The uploader's file name, for showing only: no path, no control characters, not too long."""
    name = os.path.basename((raw or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-200:] or "document"


def store_document(outcome: Outcome, file_name: str, stream) -> Evidence:
    """Check and store an uploaded document. Flushes; the caller commits. Raises OutcomeError."""
    name = shown_file_name(file_name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise OutcomeError(
            _("Dit soort bestand nemen we niet aan. Kies een PDF, PNG, JPEG, DOCX of ODT."), "document"
        )
    content_type, starts = DOCUMENT_TYPES[extension]
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        raise OutcomeError(_("Het bestand is leeg."), "document")
    if len(data) > limit:
        raise OutcomeError(
            _("Het bestand is te groot (maximaal %(mb)s MB).", mb=limit // (1024 * 1024)), "document"
        )
    if not data.startswith(starts):
        raise OutcomeError(
            _("De inhoud van het bestand past niet bij %(ext)s.", ext=extension.upper()), "document"
        )
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{extension}"
    partial = folder / f".{stored}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / stored)
    item = Evidence(
        outcome_id=outcome.id,
        stored_name=stored,
        file_name=name,
        content_type=content_type,
        size=len(data),
        created_at=utcnow(),
    )
    db.session.add(item)
    db.session.flush()
    return item


def delete_evidence(item: Evidence) -> None:
    """Forget the evidence; its file goes too (a missing file is no error)."""
    if item.is_document:
        evidence_path(item).unlink(missing_ok=True)
    db.session.delete(item)
    db.session.flush()


def add_evidence(outcome: Outcome, links: str, file_name: str | None, stream, *, actor) -> list[Evidence]:
    """The links typed (one a line) and the uploaded document, if any, as the outcome's evidence;
    recorded in the audit log. Raises OutcomeError naming the field. Flushes; the caller commits."""
    added = add_links(outcome, links)
    if file_name:
        added.append(store_document(outcome, file_name, stream))
    audit.record("evidence.add", f"outcome:{outcome.id}", details=f"{len(added)} item(s)", actor=actor)
    return added


def remove_evidence(item: Evidence, *, actor) -> None:
    audit.record("evidence.delete", f"outcome:{item.outcome_id}", details=f"evidence:{item.id}", actor=actor)
    delete_evidence(item)
