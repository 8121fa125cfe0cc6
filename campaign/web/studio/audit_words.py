"""The audit log in words: what each recorded action means, in the reader's language, and what it was
done to (a petition's title rather than "petition:12"). Codes not listed here are shown as they are."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign import audit
from campaign.models import Account, Petition, SupporterUpdate, Target

ACTIONS = {
    "abuse.reject": _l("Verdachte handtekeningen afgekeurd"),
    "abuse.release": _l("Verdachte handtekeningen vrijgegeven"),
    "abuse.rule": _l("Misbruikregel toegevoegd"),
    "abuse.rule_delete": _l("Misbruikregel verwijderd"),
    "abuse.switch": _l("Tekenen gepauzeerd of beveiligd"),
    "account.create": _l("Account aangemaakt"),
    "account.invite": _l("Uitnodiging verstuurd"),
    "account.invite_accepted": _l("Uitnodiging aangenomen"),
    "account.login": _l("Ingelogd"),
    "account.login_failed": _l("Inloggen mislukt"),
    "account.login_refused": _l("Inloggen geweigerd (te vaak mislukt)"),
    "account.password_change": _l("Wachtwoord gewijzigd"),
    "account.update": _l("Account gewijzigd"),
    "delivery.cancel": _l("Overhandiging geannuleerd"),
    "delivery.handover": _l("Overhandiging gestart"),
    "delivery.retry": _l("Bezorging opnieuw geprobeerd"),
    "delivery.retry_failed": _l("Mislukte bezorgingen opnieuw geprobeerd"),
    "delivery.settings": _l("Bezorginstellingen gewijzigd"),
    "delivery.test_send": _l("Testmail aan doelwit-voorbeeld"),
    "metrics.drift_repaired": _l("Tellingen hersteld"),
    "outcome.record": _l("Resultaat vastgelegd"),
    "outcome.update": _l("Resultaat gewijzigd"),
    "outcome.delete": _l("Resultaat verwijderd"),
    "petition.archive": _l("Petitie gearchiveerd"),
    "petition.close": _l("Petitie gesloten"),
    "petition.create": _l("Petitie aangemaakt"),
    "petition.duplicate": _l("Petitie gekopieerd"),
    "petition.publish": _l("Petitie gepubliceerd"),
    "petition.reopen": _l("Petitie heropend"),
    "petition.update": _l("Petitie gewijzigd"),
    "privacy.consent_version": _l("Nieuwe toestemmingstekst"),
    "privacy.erase": _l("Gegevens van een persoon gewist"),
    "signature.export": _l("Handtekeningen geëxporteerd"),
    "signature.invalidate": _l("Handtekening ongeldig verklaard"),
    "signature.invalidate_many": _l("Handtekeningen ongeldig verklaard"),
    "target.create": _l("Doelwit toegevoegd"),
    "target.import": _l("Doelwitten geïmporteerd"),
    "target.update": _l("Doelwit gewijzigd"),
    "update.create": _l("Update geschreven"),
    "update.edit": _l("Update gewijzigd"),
    "update.send": _l("Update verstuurd"),
    "update.test_send": _l("Test van een update verstuurd"),
    "update.unsubscribe": _l("Ondertekenaar afgemeld voor updates"),
}

KINDS = {
    "account": (Account, "email", _l("Account")),
    "petition": (Petition, "title", _l("Petitie")),
    "target": (Target, "name", _l("Doelwit")),
    "update": (SupporterUpdate, "subject", _l("Update")),
}


def action_words(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label else code


def subject_words(events) -> dict[str, str]:
    """'petition:12' -> 'Petitie: Stop gezichtsherkenning', one query per kind on the page."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        kind, _sep, ident = (event.subject or "").partition(":")
        if kind in KINDS and ident.isdigit():
            wanted.setdefault(kind, set()).add(int(ident))
    words = {}
    for kind, ids in wanted.items():
        model, column, label = KINDS[kind]
        for ident, name in audit.names_of(model, column, ids):
            words[f"{kind}:{ident}"] = _("%(kind)s: %(name)s", kind=label, name=name)
    return words
