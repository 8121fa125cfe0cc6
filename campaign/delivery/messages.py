"""The emails to targets, rendered in the target's language: letters, digests, milestones, hand-overs.

The worker and the studio's preview and test send build them with the same functions.
"""

import csv
import functools
import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from babel import Locale
from flask import current_app
from flask_babel import gettext as _
from flask_mail import Message
from sqlalchemy import func

from campaign.csvcells import cell
from campaign.extensions import db
from campaign.i18n import force_locale
from campaign.keyed import keyed_hash
from campaign.mail import PersonalOnly, public_url, render_message, render_personal
from campaign.metrics.regions import PROVINCES
from campaign.models import (
    Delivery,
    DeliveryKind,
    DeliverySettings,
    Petition,
    Signature,
    Target,
)
from campaign.models.base import amsterdam_day
from campaign.models.delivery import DEFAULT_CSV_FIELDS
from campaign.signing.names import shown_name


@dataclass(frozen=True)
class Supporter:
    """What a letter needs of a signature (a real one, or the preview's example)."""

    name: str
    place: str
    message: str
    email: str
    reply_to_me: bool


def place_of(region: str, country: str, locale: str) -> str:
    """Where a supporter lives, as far as they agreed to share it: province, or else country."""
    if region in PROVINCES:
        return PROVINCES[region]
    code = (country or region or "NL").upper()
    return Locale.parse(locale if locale in ("nl", "en") else "nl").territories.get(code, code)


def message_id(delivery: Delivery) -> str:
    """Stable per row (a resend after a crash carries the same one), unguessable, and distinct
    across databases (the creation time is in the MAC)."""
    return message_id_for(delivery.id, delivery.created_at)


def message_id_for(delivery_id: int, created_at: datetime) -> str:
    mac = keyed_hash(str(delivery_id), created_at.isoformat(), length=20)
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return f"<delivery-{delivery_id}.{mac}@{host}>"


def platform_address() -> str:
    return _address_of(current_app.config["MAIL_DEFAULT_SENDER"])


@functools.cache
def _address_of(sender: str) -> str:
    """Parsed once per setting: every letter names the platform's address (parseaddr was a twentieth
    of a letter's CPU)."""
    return parseaddr(sender)[1]


def organisation_name() -> str:
    """Who sends on the supporters' behalf: the display name of MAIL_DEFAULT_SENDER."""
    return _display_name(current_app.config["MAIL_DEFAULT_SENDER"])


@functools.cache
def _display_name(sender: str) -> str:
    name, address = parseaddr(sender)
    return name or address


def supporter_sender_name(shown: str, locale: str) -> str:
    """A letter comes from "Anna de Vries via <organisation>": a supporter cannot pose as anyone
    (a minister, the organisation) in the From line. `shown`: the name as letters show it."""
    if not shown:
        return organisation_name()
    return _via_format(locale) % {"name": shown, "organisation": organisation_name()}


@functools.cache
def _via_format(locale: str) -> str:
    """Translated once per language: the phrase never changes within a language, and switching the
    locale per letter would load and switch catalogues for every letter."""
    with force_locale(locale):
        return _("%(name)s via %(organisation)s")


def _context(petition: Petition, target: Target, petition_url: str | None = None, **extra) -> dict:
    return {
        "petition": petition,
        "target": target,
        "petition_url": petition_url or public_url("public.petition", slug=petition.slug),
        **extra,
    }


def letter_message(
    petition: Petition,
    target: Target,
    supporter: Supporter,
    petition_url: str | None = None,
    rendered: dict | None = None,
) -> Message:
    """`rendered`: a sender run's cache. The letter is then rendered once per petition, target and
    reply choice, and each supporter's name, place and message put in (campaign.mail.render_personal)
    rather than the templates rendered for every letter."""
    supporter = replace(supporter, name=shown_name(supporter.name))  # no links or addresses
    recipients = [(target.name, target.email)]
    if rendered is None:
        message = render_message(
            "letter",
            target.language,
            recipients,
            **_context(petition, target, petition_url, supporter=supporter),
        )
    else:
        message = render_personal(
            "letter",
            target.language,
            recipients,
            cache=rendered,
            cache_key=("letter", petition.id, target.id, supporter.reply_to_me),
            shared=_context(petition, target, petition_url),
            personal={
                "supporter": PersonalOnly(
                    name=supporter.name,
                    place=supporter.place,
                    message=supporter.message,
                    reply_to_me=supporter.reply_to_me,
                )
            },
        )
    message.sender = (supporter_sender_name(supporter.name, target.language), platform_address())
    message.reply_to = supporter.email if supporter.reply_to_me else None
    return message


def milestone_message(petition: Petition, target: Target, threshold: int, count: int) -> Message:
    return render_message(
        "milestone",
        target.language,
        [(target.name, target.email)],
        **_context(petition, target, threshold=threshold, count=count),
    )


def digest_message(petition, target, fields, start: datetime, end: datetime) -> Message:
    new = _confirmed(petition.id, start, end)
    total = _confirmed(petition.id, None, end)
    local = {"start": _local_day(start), "end": _local_day(end, before=True)}
    message = render_message(
        "digest",
        target.language,
        [(target.name, target.email)],
        **_context(petition, target, new=new, total=total, **local),
    )
    _attach_csv(
        message, target.language, petition.id, fields, start, end, f"{petition.slug}-{local['start']}.csv"
    )
    return message


def handover_message(petition, target, fields) -> Message:
    total = _confirmed(petition.id, None, None)
    message = render_message(
        "handover", target.language, [(target.name, target.email)], **_context(petition, target, total=total)
    )
    _attach_csv(
        message, target.language, petition.id, fields, None, None, f"{petition.slug}-handtekeningen.csv"
    )
    return message


def build_message(delivery: Delivery, settings: DeliverySettings | None) -> Message:
    """The email of a milestone, digest or hand-over row (letters: campaign.delivery.prepare)."""
    petition, target = delivery.petition, delivery.target
    fields = settings.fields if settings else DEFAULT_CSV_FIELDS.split(",")
    if delivery.kind == DeliveryKind.MILESTONE:
        message = milestone_message(petition, target, delivery.threshold, _confirmed(petition.id, None, None))
    elif delivery.kind == DeliveryKind.DIGEST:
        message = digest_message(petition, target, fields, delivery.period_start, delivery.period_end)
    else:
        message = handover_message(petition, target, fields)
    message.msgId = message_id(delivery)
    return message


def _confirmed(petition_id: int, start, end) -> int:
    """Counted in the worker, where an exact COUNT is affordable (never on a request path)."""
    query = (
        db.select(func.count())
        .select_from(Signature)
        .where(Signature.petition_id == petition_id, Signature.counts)
    )
    if start is not None:
        query = query.where(Signature.confirmed_at >= start)
    if end is not None:
        query = query.where(Signature.confirmed_at < end)
    return db.session.execute(query).scalar()


def _local_day(moment: datetime, before: bool = False):
    if before:  # the end of a period is exclusive: name the last day inside it
        moment = moment - timedelta(seconds=1)
    return amsterdam_day(moment)


def _column_names(locale: str) -> dict:
    with force_locale(locale):
        return {
            "name": _("Naam"),
            "place": _("Woonplaats"),
            "country": _("Land"),
            "date": _("Datum"),
            "message": _("Bericht"),
        }


def signatures_csv(petition_id: int, fields: list[str], locale: str, start=None, end=None) -> str:
    query = (
        db.select(
            Signature.name, Signature.region, Signature.country, Signature.confirmed_at, Signature.message
        )
        .where(Signature.petition_id == petition_id, Signature.counts)
        .order_by(Signature.confirmed_at, Signature.id)
    )
    if start is not None:
        query = query.where(Signature.confirmed_at >= start)
    if end is not None:
        query = query.where(Signature.confirmed_at < end)
    out = io.StringIO()
    writer = csv.writer(out)
    names = _column_names(locale)
    writer.writerow([names[field] for field in fields])
    for name, region, country, confirmed_at, text in db.session.execute(
        query.execution_options(yield_per=2000)
    ):
        values = {
            "name": shown_name(name),
            "place": place_of(region, country, locale),
            "country": country,
            "date": _local_day(confirmed_at).isoformat() if confirmed_at else "",
            "message": text or "",
        }
        writer.writerow([cell(values[field]) for field in fields])
    return out.getvalue()


def _attach_csv(message: Message, locale, petition_id, fields, start, end, filename: str) -> None:
    data = signatures_csv(petition_id, fields, locale, start, end)
    message.attach(filename, "text/csv", data.encode("utf-8-sig"))  # the BOM makes Excel read UTF-8
