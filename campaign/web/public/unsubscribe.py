"""Unsubscribing from updates through the link in every update (RFC 8058).

GET shows a page with a button and changes nothing (mail scanners follow links). POST unsubscribes:
from that button, or straight from a mail client's one-click button, which posts
`List-Unsubscribe=One-Click` without cookies or a CSRF token, so this one route is exempt from CSRF.
Unsubscribing is all the route can do, with a signed token, so a forged post gains nothing.
"""

from flask import abort, render_template, request

from campaign.extensions import csrf, db
from campaign.models.base import utcnow
from campaign.outreach import read_unsubscribe_token, unsubscribe
from campaign.web.public.blueprint import bp

PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@bp.route("/updates/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe_page(token: str):
    ids = read_unsubscribe_token(token)
    if ids is None:
        abort(404)
    if request.method == "GET":
        return render_template("public/unsubscribe.html", token=token, done=False), 200, PRIVATE_HEADERS
    unsubscribe(*ids, utcnow())
    db.session.commit()
    return render_template("public/unsubscribe.html", token=token, done=True), 200, PRIVATE_HEADERS
