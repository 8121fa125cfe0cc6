"""Names of the report's rows, in the reader's language."""

from flask_babel import lazy_gettext as _l

from campaign.models import DeliveryKind

DELIVERY_LABELS = {
    DeliveryKind.LETTER: _l("Brieven van ondertekenaars"),
    DeliveryKind.DIGEST: _l("Overzichten (digests)"),
    DeliveryKind.MILESTONE: _l("Mijlpaalberichten"),
    DeliveryKind.HANDOVER: _l("Overhandigingen"),
}


def delivery_label(kind: str) -> str:
    return str(DELIVERY_LABELS.get(kind, kind))
