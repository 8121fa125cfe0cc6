"""Builders shared by the delivery tests."""

from campaign.delivery.settings import update_settings
from campaign.extensions import db
from campaign.models import Delivery, Signature
from campaign.models.base import utcnow
from campaign.signing import SignRequest, confirm_signature, sign_petition
from tests import factories


def sender_config(faulty_smtp, **more) -> dict:
    """The letters go to tests/smtp_faults.py's server; retries and the relay's grace at once."""
    return {
        "MAIL_PORT": faulty_smtp[0],
        "MAIL_TIMEOUT": 2,
        "DELIVERY_RETRY_SECONDS": 0,
        "DELIVERY_RELAY_GRACE": 0,
        **more,
    }


def petition_with_targets(n_targets=2, slug="brieven", **settings):
    petition = factories.petition(slug=slug)
    targets = [
        factories.target(
            name=f"Ontvanger {i}", email=f"ontvanger{i}@example.org", language="en" if i == 2 else "nl"
        )
        for i in range(1, n_targets + 1)
    ]
    petition.targets = targets
    update_settings(petition, **({"letters": True} | settings))
    db.session.commit()
    return petition, targets


def confirmed(petition, name="Anna de Vries", email="anna@example.nl", **fields) -> Signature:
    """Sign and confirm through the domain functions, committing as the views do."""
    request = SignRequest(
        name=name,
        email=email,
        postcode=fields.pop("postcode", "3511 AB"),
        country=fields.pop("country", "NL"),
        newsletter=False,
        consent_version="test",
        **fields,
    )
    signature_id = sign_petition(petition, request, utcnow())
    db.session.commit()
    signature = db.session.get(Signature, signature_id)
    confirm_signature(signature.token, utcnow())
    db.session.commit()
    return signature


def deliveries(**filters) -> list[Delivery]:
    db.session.expire_all()
    return db.session.execute(db.select(Delivery).filter_by(**filters).order_by(Delivery.id)).scalars().all()


def to_targets(mailbox):
    """The messages to officials (the demo and test targets are @example.org)."""
    return [m for m in mailbox.messages if "example.org" in m["X-Envelope-To"]]


def letters_to(messages, address):
    return [
        m
        for m in messages
        if address in m["X-Envelope-To"] and m["Subject"].startswith(("Petitie", "Petition"))
    ]


def deliver_all(run_jobs, rounds=10):
    """Run the jobs, then the relay for whatever is due again (retries), until nothing is due."""
    from campaign.models import DeliveryStatus
    from workers.deliveries import relay

    for _ in range(rounds):
        run_jobs()
        now = utcnow()
        pending = [
            d
            for d in deliveries()
            if d.status == DeliveryStatus.SENDING or (d.status == DeliveryStatus.QUEUED and d.due_at <= now)
        ]
        if not pending:
            return
        relay()
    raise AssertionError("deliveries still due after the last round")
