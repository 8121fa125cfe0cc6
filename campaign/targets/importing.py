"""Importing targets from CSV: read and check every row first (the preview), then write all or nothing.

Columns (header row, names in Dutch or English): naam/name, email, functie/title, organisatie/organisation,
taal/language, regio/region. A row whose email is already in the directory updates that target.
"""

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _

from campaign import audit
from campaign.extensions import db
from campaign.models import Target
from campaign.targets import TargetDetails, TargetError, apply_details, clean_details, find_by_email

MAX_ROWS = 2000
COLUMNS = {
    "name": "name",
    "naam": "name",
    "email": "email",
    "e-mail": "email",
    "e-mailadres": "email",
    "title": "title",
    "functie": "title",
    "rol": "title",
    "organisation": "organisation",
    "organization": "organisation",
    "organisatie": "organisation",
    "language": "language",
    "taal": "language",
    "region": "region",
    "regio": "region",
}


@dataclass
class ImportRow:
    line: int
    details: TargetDetails | None
    errors: list[str] = field(default_factory=list)
    existing_id: int | None = None  # the target this row will update


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    problems: list[str]  # about the file as a whole

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and all(not row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def preview_import(text: str) -> ImportPreview:
    """Check every row without writing anything."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        return ImportPreview([], [_("Het bestand is leeg.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [COLUMNS.get((name or "").strip().lower()) for name in next(reader)]
    missing = {"name", "email"} - set(header)
    if missing:
        return ImportPreview(
            [], [_("De kopregel mist de kolom(men): %(names)s.", names=", ".join(sorted(missing)))]
        )
    rows, seen = [], {}
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            return ImportPreview(rows, [_("Maximaal %(n)s rijen per keer.", n=MAX_ROWS)])
        rows.append(_check_row(line, header, values, seen))
    if not rows:
        return ImportPreview([], [_("Het bestand bevat geen rijen onder de kopregel.")])
    return ImportPreview(rows, [])


def _check_row(line: int, header: list, values: list[str], seen: dict) -> ImportRow:
    if len(values) > len(header):
        return ImportRow(line, None, [_("Meer waarden dan kolommen.")])
    raw = {name: value for name, value in zip(header, values, strict=False) if name}
    try:
        details = clean_details(
            TargetDetails(
                **{
                    key: raw.get(key, "")
                    for key in ("name", "email", "title", "organisation", "language", "region")
                }
            )
        )
    except TargetError as error:
        return ImportRow(line, None, [_("%(field)s: %(problem)s", field=error.field, problem=str(error))])
    key = details.email.lower()
    if key in seen:
        return ImportRow(line, details, [_("Dit e-mailadres staat ook op regel %(line)s.", line=seen[key])])
    seen[key] = line
    existing = find_by_email(details.email)
    return ImportRow(line, details, existing_id=existing.id if existing else None)


def import_targets(text: str, actor) -> ImportPreview:
    """Write every row if all are valid, else nothing. Flushes; the caller commits."""
    preview = preview_import(text)
    if not preview.ok:
        return preview
    created = updated = 0
    for row in preview.rows:
        target = find_by_email(row.details.email)
        if target is None:
            target = Target()
            db.session.add(target)
            created += 1
        else:
            updated += 1
        apply_details(target, row.details)
    db.session.flush()
    audit.record("target.import", "targets", details=f"created={created} updated={updated}", actor=actor)
    return preview
