"""The one way a public route finds its petition from the slug in the address.

Every public route (pages, the sign post, count.json, the personal-link pages) goes through
`public_petition_or_404`: unknown or unpublished is a 404, and a link shared before the slug changed
is sent on to the new address.
"""

from flask import abort, redirect, request, url_for

from campaign.petitions import find_public_petition, public_slug_now


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
