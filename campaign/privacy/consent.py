"""Versions of the consent text. The current version is cached per process for a few seconds: every
sign request records it, and it must not cost a database round trip each time."""

import time
from dataclasses import dataclass

from flask import current_app

from campaign import audit
from campaign.extensions import db
from campaign.models import ConsentText
from campaign.models.base import utcnow
from campaign.petitions.markup import render_markdown

_CACHE_KEY = "privacy_consent"


@dataclass(frozen=True)
class ConsentView:
    version: str
    html: str  # sanitised; empty when no text was written in the studio yet (the built-in text applies)
    html_en: str = ""


def current_consent() -> ConsentView:
    app = current_app._get_current_object()
    cached = app.extensions.get(_CACHE_KEY)
    if cached and time.monotonic() - cached[0] < app.config["ABUSE_CACHE_SECONDS"]:
        return cached[1]
    row = db.session.execute(db.select(ConsentText).order_by(ConsentText.id.desc()).limit(1)).scalar()
    if row is None:
        view = ConsentView(app.config["CONSENT_VERSION"], "")
    else:
        view = ConsentView(
            row.version, render_markdown(row.text), render_markdown(row.text_en) if row.text_en else ""
        )
    app.extensions[_CACHE_KEY] = (time.monotonic(), view)
    return view


def current_consent_version() -> str:
    return current_consent().version


def consent_versions() -> list[ConsentText]:
    return db.session.execute(db.select(ConsentText).order_by(ConsentText.id.desc())).scalars().all()


def add_consent_version(text: str, text_en: str = "", *, actor) -> ConsentText:
    """A changed text is a new version (named by its date); the old ones stay for the record."""
    base = utcnow().strftime("%Y-%m-%d")
    taken = set(
        db.session.execute(
            db.select(ConsentText.version).where(ConsentText.version.startswith(base))
        ).scalars()
    )
    version, n = base, 1
    while version in taken or version == current_app.config["CONSENT_VERSION"]:
        n += 1
        version = f"{base}.{n}"
    row = ConsentText(
        version=version,
        text=text.strip(),
        text_en=(text_en or "").strip(),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("privacy.consent_version", f"consent:{row.version}", actor=actor)
    current_app.extensions.pop(_CACHE_KEY, None)
    return row
