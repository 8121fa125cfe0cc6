"""CSV export of a petition's confirmed signatures, streamed.

Rows come from the database in batches (`yield_per`, a server-side cursor on PostgreSQL) and leave
as CSV lines in chunks, so a million signatures never sit in memory at once.
"""

import csv
from collections.abc import Iterator

from campaign import audit
from campaign.csvcells import cell
from campaign.extensions import db
from campaign.models import Signature, SignatureStatus

BATCH = 1000
HEADER = ["naam", "e-mail", "postcode", "land", "bevestigd_op", "nieuwsbrief", "toestemming_versie", "bron"]


def confirmed_signature_rows(petition_id: int) -> Iterator[tuple]:
    columns = (
        Signature.name,
        Signature.email,
        Signature.postcode,
        Signature.country,
        Signature.confirmed_at,
        Signature.newsletter,
        Signature.consent_version,
        Signature.source,
    )
    result = db.session.execute(
        db.select(*columns)
        .where(Signature.petition_id == petition_id, Signature.status == SignatureStatus.CONFIRMED)
        .order_by(Signature.id)
        .execution_options(yield_per=BATCH, stream_results=True)
    )
    for partition in result.partitions():
        yield from partition


class _Lines(list):
    """csv.writer's target: collects lines (a StringIO would hold four bytes per character)."""

    write = list.append


def csv_chunks(petition_id: int) -> Iterator[str]:
    """The CSV, a batch of rows per chunk (UTF-8 BOM first, so spreadsheets read accents right)."""
    lines = _Lines(["\ufeff"])
    writer = csv.writer(lines)
    writer.writerow(HEADER)
    for n, (name, email, postcode, country, confirmed_at, newsletter, consent, source) in enumerate(
        confirmed_signature_rows(petition_id), start=1
    ):
        writer.writerow(
            [
                cell(name),
                cell(email),
                cell(postcode),
                country,
                confirmed_at.isoformat(timespec="seconds") if confirmed_at else "",
                "ja" if newsletter else "nee",
                cell(consent),
                cell(source),
            ]
        )
        if n % BATCH == 0:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


def export_signatures(petition, *, actor) -> Iterator[str]:
    """A campaigner downloads the list: recorded in the audit log (who, which petition; the caller
    commits before streaming), then the CSV chunks."""
    audit.record("signature.export", f"petition:{petition.id}", actor=actor)
    return csv_chunks(petition.id)
