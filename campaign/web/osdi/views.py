"""The OSDI API's reading routes: the entry point, petitions and their signatures, a page at a time."""

from flask import abort, request
from flask_babel import gettext as _

from campaign.api.listing import listed_petition, listed_signature, petitions_page, signatures_page
from campaign.api.osdi import (
    CURIES,
    FilterError,
    api_url,
    collection,
    modified_filter,
    petition_resource,
    signature_resource,
)
from campaign.metrics.counts import petition_count, petition_counts
from campaign.models import Petition
from campaign.web.hal import hal
from campaign.web.osdi.blueprint import MAX_PER_PAGE, bp


@bp.get("/")
def entry_point():
    return hal(
        {
            "motd": _("De OSDI-API van Petities"),
            "vendor_name": "Petities",
            "product_name": "Petities",
            "osdi_version": "1.2",
            "namespace": "petities",
            "max_pagesize": MAX_PER_PAGE,
            "_links": {
                "self": {"href": api_url()},
                "curies": CURIES,
                "osdi:petitions": {"href": api_url("petitions"), "title": "The collection of petitions"},
                "docs": {"href": api_url("openapi.json"), "title": "OpenAPI description"},
            },
        }
    )


def paging() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 25))
    except ValueError:
        abort(400, _("page en per_page moeten gehele getallen zijn."))
    if page < 1 or per_page < 1:
        abort(400, _("page en per_page moeten 1 of groter zijn."))
    return page, min(per_page, MAX_PER_PAGE)


def petition_or_404(petition_id: int) -> Petition:
    petition = listed_petition(petition_id)
    if petition is None:
        abort(404, _("Deze petitie bestaat niet."))
    return petition


@bp.get("/petitions")
def petitions():
    page, per_page = paging()
    rows, total = petitions_page(page, per_page)
    counts = petition_counts([p.id for p in rows])
    items = [petition_resource(p, counts[p.id].confirmed if p.id in counts else 0) for p in rows]
    return hal(collection("petitions", items, page, per_page, total, "petitions", {}))


@bp.get("/petitions/<int:petition_id>")
def petition(petition_id: int):
    found = petition_or_404(petition_id)
    return hal(petition_resource(found, petition_count(found.id).confirmed))


@bp.get("/petitions/<int:petition_id>/signatures")
def signatures(petition_id: int):
    found = petition_or_404(petition_id)
    page, per_page = paging()
    try:
        terms = modified_filter(request.args.get("filter"))
    except FilterError:
        abort(
            400,
            _("Dit filter begrijpen we niet. Gebruik bijvoorbeeld: modified_date gt '2026-11-30T12:00:00Z'."),
        )
    rows, total = signatures_page(found.id, terms, page, per_page)
    query = {"filter": request.args["filter"]} if request.args.get("filter") else {}
    path = f"petitions/{found.id}/signatures"
    items = [signature_resource(row) for row in rows]
    return hal(collection("signatures", items, page, per_page, total, path, query))


@bp.get("/petitions/<int:petition_id>/signatures/<int:signature_id>")
def signature(petition_id: int, signature_id: int):
    found = petition_or_404(petition_id)
    row = listed_signature(found.id, signature_id)
    if row is None:
        abort(404, _("Deze handtekening bestaat niet (of is nog niet bevestigd)."))
    return hal(signature_resource(row))
