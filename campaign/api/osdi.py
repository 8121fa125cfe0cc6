"""OSDI 1.2 shapes (HAL+JSON) of petitions and signatures, and reading an OSDI person into our form.

https://opensupporter.github.io/osdi-docs/ : identifiers are "petities:<id>"; a person is embedded in
each signature (we keep no separate people), with the whole name kept in custom_fields.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from campaign.models import Petition, Signature, SignatureStatus

NAMESPACE = "petities"
CURIES = [{"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}.html", "templated": True}]
# What the API lists: confirmed signatures and the ones taken back since (so a sync can remove them).
LISTED = (SignatureStatus.CONFIRMED, SignatureStatus.WITHDRAWN, SignatureStatus.INVALIDATED)


def iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def api_url(path: str = "") -> str:
    return f"{current_app.config['PUBLIC_URL']}/api/v1/{path}"


def petition_resource(petition: Petition, total: int) -> dict:
    base = f"petitions/{petition.id}"
    return {
        "identifiers": [f"{NAMESPACE}:{petition.id}"],
        "origin_system": "Petities",
        "created_date": iso(petition.created_at),
        "modified_date": iso(petition.updated_at),
        "name": petition.slug,
        "title": petition.title,
        "summary": petition.summary,
        "description": petition.body_html,
        "petition_text": petition.summary,
        "browser_url": f"{current_app.config['PUBLIC_URL']}/petitions/{petition.slug}",
        "status": petition.status,
        "total_signatures": total,
        "goal": petition.goal,
        "target": [
            {"name": target.name, "title": target.title, "organisation": target.organisation}
            for target in petition.targets
        ],
        "_links": {
            "self": {"href": api_url(base)},
            "osdi:signatures": {"href": api_url(base + "/signatures")},
            "osdi:record_signature_helper": {"href": api_url(base + "/signatures")},
        },
    }


def _split_name(name: str) -> tuple[str, str]:
    """'Anna de Vries' -> ('Anna', 'de Vries'); the whole name also goes in custom_fields."""
    given, _, family = (name or "").partition(" ")
    return given, family


def signature_resource(signature: Signature) -> dict:
    base = f"petitions/{signature.petition_id}/signatures/{signature.id}"
    resource = {
        "identifiers": [f"{NAMESPACE}:{signature.id}"],
        "created_date": iso(signature.created_at),
        "modified_date": iso(signature.modified_at),
        "status": signature.status,
        "counted": bool(signature.counts),
        "confirmed_date": iso(signature.confirmed_at),
        "comments": signature.message or "",
        "_links": {
            "self": {"href": api_url(base)},
            "osdi:petition": {"href": api_url(f"petitions/{signature.petition_id}")},
        },
    }
    if signature.anonymised_at is None:  # withdrawn and erased signatures carry no person any more
        given, family = _split_name(signature.name)
        resource["person"] = {
            "given_name": given,
            "family_name": family,
            "languages_spoken": [signature.locale],
            "email_addresses": [
                {
                    "address": signature.email,
                    "primary": True,
                    "status": "subscribed" if signature.newsletter else "unsubscribed",
                }
            ],
            "postal_addresses": [
                {
                    "primary": True,
                    "postal_code": signature.postcode,
                    "country": signature.country,
                    "region": signature.region,
                }
            ],
            "custom_fields": {
                "full_name": signature.name,
                "consent_version": signature.consent_version,
                "consent_date": iso(signature.consent_at),
            },
        }
    return resource


def collection(
    name: str, items: list[dict], page: int, per_page: int, total: int, path: str, query: dict
) -> dict:
    from urllib.parse import urlencode

    pages = max(1, -(-total // per_page))

    def link(number: int) -> dict:
        return {"href": api_url(path) + "?" + urlencode({**query, "page": number, "per_page": per_page})}

    links = {"self": link(page), "curies": CURIES, f"osdi:{name}": [item["_links"]["self"] for item in items]}
    if page < pages:
        links["next"] = link(page + 1)
    if page > 1:
        links["prev"] = link(page - 1)
    return {
        "total_pages": pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {f"osdi:{name}": items},
    }


FILTER_TERM = re.compile(r"^\s*modified_date\s+(gt|ge|lt|le|eq)\s+'([^']{4,40})'\s*$", re.I)


class FilterError(ValueError):
    pass


def modified_filter(text: str | None) -> list[tuple[str, datetime]]:
    """OSDI's OData subset: "modified_date gt '2026-11-30T12:00:00Z'" (terms joined with "and")."""
    if not text:
        return []
    terms = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        match = FILTER_TERM.match(part)
        if not match:
            raise FilterError(part)
        try:
            value = datetime.fromisoformat(match.group(2).replace("Z", "+00:00"))
        except ValueError:
            raise FilterError(part) from None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        terms.append((match.group(1).lower(), value))
    return terms


@dataclass(frozen=True)
class Person:
    """What the record-signature helper was given, in our form's fields."""

    name: str
    email: str
    postcode: str
    country: str
    newsletter: bool
    locale: str | None


def _first(items) -> dict:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        primary = [item for item in items if isinstance(item, dict) and item.get("primary")]
        return primary[0] if primary else items[0]
    return {}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def read_person(person) -> Person:
    """An OSDI person (names, email_addresses, postal_addresses) as our form's fields; no validation
    here: the sign form's rules judge the result."""
    if not isinstance(person, dict):
        person = {}
    custom = person.get("custom_fields") if isinstance(person.get("custom_fields"), dict) else {}
    name = _text(custom.get("full_name")) or " ".join(
        part
        for part in (_text(person.get("given_name")).strip(), _text(person.get("family_name")).strip())
        if part
    )
    email = _first(person.get("email_addresses"))
    address = _first(person.get("postal_addresses"))
    languages = person.get("languages_spoken")
    locale = (
        languages[0] if isinstance(languages, list) and languages and isinstance(languages[0], str) else None
    )
    return Person(
        name=name,
        email=_text(email.get("address")),
        postcode=_text(address.get("postal_code")),
        country=_text(address.get("country")).upper() or "NL",
        newsletter=email.get("status") == "subscribed",
        locale=locale,
    )
