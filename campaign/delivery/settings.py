"""Per-petition delivery settings: read them, change them."""

from campaign.extensions import db
from campaign.models import DeliverySettings


def settings_for(petition_id: int) -> DeliverySettings | None:
    return db.session.get(DeliverySettings, petition_id)


def ensure_settings(petition) -> DeliverySettings:
    """The petition's settings row, created with the defaults if missing (flushes)."""
    settings = settings_for(petition.id) if petition.id else None
    if settings is None:
        settings = DeliverySettings(petition=petition)
        db.session.add(settings)
        db.session.flush()
    return settings


def update_settings(petition, **values) -> DeliverySettings:
    settings = ensure_settings(petition)
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.flush()
    return settings


def sends_letters(petition_id: int) -> bool:
    """Whether supporters' own letters go to the targets (then the sign form offers a personal message)."""
    settings = settings_for(petition_id)
    return bool(settings and settings.letters)
