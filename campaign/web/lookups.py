"""The lookups views make themselves: a row by the id or slug in the address, else a 404. Everything
else a view reads comes from a domain package (tests/test_architecture.py keeps it so).

Every public route (pages, the sign post, count.json, the personal-link pages) goes through
`public_petition_or_404`: unknown or unpublished is a 404, and a link shared before the slug changed
is sent on to the new address.
"""

from flask import abort, redirect, request, url_for

from campaign.extensions import db
from campaign.petitions import find_public_petition, public_slug_now
from campaign.web.errors import refuse


def row_or_404(model, row_id: int, message: str | None = None):
    """The studio's pages name their row by id: the petition, target, delivery, outcome, account.
    `message`: what the 404 page says instead of the general text."""
    row = db.session.get(model, row_id)
    if row is None:
        if message:
            refuse(404, message)
        abort(404)
    return row


def public_petition_or_404(slug: str, find=find_public_petition):
    """The public petition with this slug (`find` may be a cached look-up returning a lighter row)."""
    petition = find(slug)
    if petition is None:
        _redirect_old_slug(slug)
        abort(404)
    return petition


def _redirect_old_slug(slug: str) -> None:
    """Permanently (308 keeps a POST a POST), to the same route under the petition's current slug."""
    current = public_slug_now(slug)
    if current is not None:
        target = url_for(request.endpoint, **{**request.view_args, "slug": current})
        abort(redirect(target, 301 if request.method == "GET" else 308))
