"""The petition for other sites: GET /petitions/<slug>/embed, a compact page (count, progress, the
sign form, the same rules) that only the origins in EMBED_ORIGINS may frame, and its sign post.

CSRF inside a third-party frame: browsers may refuse the frame's cookies (SameSite, third-party
cookie phase-out), so the form carries a signed, timed token bound to the petition (forms.EmbedSignForm)
instead of the session cookie, and the post must come from a page of our own origin (the Origin
header, which browsers set on every cross-origin POST and page scripts cannot forge). A forged
signature still has to be confirmed from the mailbox it names.
"""

from urllib.parse import urlsplit

from flask import abort, current_app, render_template, request, url_for

from campaign.delivery.settings import sends_letters
from campaign.extensions import csrf
from campaign.metrics.counts import petition_count
from campaign.models.base import utcnow
from campaign.signing.submit import pause_notice, proof_of_work_required
from campaign.web.lookups import public_petition_or_404
from campaign.web.public.blueprint import bp
from campaign.web.public.forms import EmbedSignForm, embed_token_fits
from campaign.web.public.guard import limit_signing
from campaign.web.public.petition_page import form_shown_again, take_signature
from campaign.web.public.sign_post import read_sign_post
from campaign.web.security import embeddable_by_origins


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _parent() -> str | None:
    """The framing site's origin, as embed.js tells it, if it is one we allow (for postMessage)."""
    parent = (request.args.get("parent") or "").rstrip("/").lower()
    return parent if parent in {o.rstrip("/").lower() for o in current_app.config["EMBED_ORIGINS"]} else None


def _render(petition, form, status: int = 200, notice: str | None = None, signed: bool = False):
    parent = _parent()
    return render_template(
        "public/embed.html",
        petition=petition,
        form=form,
        count=petition_count(petition.id).confirmed,
        closed=not petition.accepts_signatures(utcnow()),
        notice=notice,
        paused=pause_notice(petition),
        proof_of_work=proof_of_work_required(petition),
        letters=sends_letters(petition.id),
        signed=signed,
        parent=parent,
        sign_action=url_for("public.embed_sign", slug=petition.slug, parent=parent),
    ), status


@bp.get("/petitions/<slug>/embed")
@embeddable_by_origins
def embed(slug: str):
    petition = public_petition_or_404(slug)
    return _render(petition, EmbedSignForm(petition_id=petition.id), signed=request.args.get("signed") == "1")


@bp.post("/petitions/<slug>/embed/sign")
@embeddable_by_origins
@csrf.exempt
@limit_signing
def embed_sign(slug: str):
    origin = request.headers.get("Origin")
    ours = {_origin(request.host_url), _origin(current_app.config["PUBLIC_URL"])}
    if origin and _origin(origin) not in ours:  # posted by another site's page, not by our frame
        abort(403)
    petition = public_petition_or_404(slug)
    show_form = form_shown_again(
        lambda: EmbedSignForm(petition_id=petition.id),
        lambda form, status, notice: _render(petition, form, status, notice),
    )
    token_fits = embed_token_fits(request.form.get("embed_token"), petition.id)
    return take_signature(
        petition,
        read_sign_post(request.form) if token_fits else None,
        show_form,
        url_for("public.embed", slug=petition.slug, signed=1, parent=_parent()),
    )


@bp.app_template_global("embed_snippet")
def snippet(petition) -> str:
    """What a partner site pastes in (shown per petition in the studio)."""
    base = current_app.config["PUBLIC_URL"]
    return (
        f'<div data-petitie="{base}{url_for("public.embed", slug=petition.slug)}"></div>\n'
        f'<script src="{base}{url_for("static", filename="embed.js")}" async></script>'
    )
