"""The studio's preview and test send: each kind of email exactly as a target would receive it,
built by the same functions as the real thing, with an example supporter instead of a real one."""

from flask_babel import gettext as _
from flask_mail import Message

from campaign import audit
from campaign.delivery.messages import (
    Supporter,
    digest_message,
    handover_message,
    letter_message,
    milestone_message,
    platform_address,
)
from campaign.delivery.queue import digest_period
from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.metrics.counts import petition_count
from campaign.models import Account, AuditEvent, DeliveryKind, Petition, Target
from campaign.models.base import utcnow
from campaign.models.delivery import DEFAULT_CSV_FIELDS, DigestFrequency
from campaign.oneoff_mail import send_one_off

KINDS = tuple(DeliveryKind)


def example_supporter() -> Supporter:
    return Supporter(
        name="Anna de Vries",
        place="Utrecht",
        email="anna@example.nl",
        reply_to_me=False,
        message=_("Dit is een voorbeeld van een persoonlijk bericht van een ondertekenaar."),
    )


def example_target(petition: Petition) -> Target:
    """The petition's first target, or a stand-in when it has none yet (not stored)."""
    if petition.targets:
        return petition.targets[0]
    return Target(
        name=_("Voorbeeldontvanger"),
        email="ontvanger@example.org",
        language=petition.language or "nl",
        timezone="Europe/Amsterdam",
    )


def preview_message(petition: Petition, kind: str, target: Target) -> Message:
    settings = settings_for(petition.id)
    fields = settings.fields if settings else DEFAULT_CSV_FIELDS.split(",")
    if kind == DeliveryKind.LETTER:
        return letter_message(petition, target, example_supporter())
    if kind == DeliveryKind.MILESTONE:
        thresholds = settings.thresholds(petition.goal) if settings else []
        return milestone_message(
            petition,
            target,
            thresholds[0] if thresholds else petition.goal,
            petition_count(petition.id).confirmed,
        )
    if kind == DeliveryKind.DIGEST:
        frequency = settings.digest if settings and settings.digest else DigestFrequency.DAILY
        start, end = digest_period(frequency, utcnow())
        return digest_message(petition, target, fields, start, end)
    return handover_message(petition, target, fields)


def send_test(petition_id: int, kind: str, account_id: int) -> str:
    """The studio's test send: one email of `kind`, as a target would get it, to the campaigner who
    asked. "sent", "gone" (the petition or the account), or "failed" for good, recorded in the audit
    log, which the delivery page shows. A temporary failure raises, so the job is tried again."""
    petition, account = db.session.get(Petition, petition_id), db.session.get(Account, account_id)
    if petition is None or account is None:
        return "gone"
    failure = send_one_off(test_message(petition, kind, account.email))
    if failure is None:
        return "sent"
    details = f"kind={kind}; {failure.text}"
    audit.record("delivery.test_send_failed", f"petition:{petition.id}", details=details, actor=None)
    return "failed"


def test_message(petition: Petition, kind: str, address: str) -> Message:
    """The preview, addressed to a campaigner; the subject says it is a test."""
    message = preview_message(petition, kind, example_target(petition))
    message.recipients = [address]
    message.subject = _("[TEST] %(subject)s", subject=message.subject)
    if message.reply_to:
        message.reply_to = platform_address()
    return message


def failed_test_send(petition_id: int) -> str | None:
    """Why the latest test send failed (its job records the failure in the audit log), or None when
    it went out, is still being tried, or there was none."""
    latest = db.session.execute(
        db.select(AuditEvent.action, AuditEvent.details)
        .where(
            AuditEvent.subject == f"petition:{petition_id}",
            AuditEvent.action.in_(["delivery.test_send", "delivery.test_send_failed"]),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if latest is None or latest.action != "delivery.test_send_failed":
        return None
    return latest.details.partition("; ")[2]
