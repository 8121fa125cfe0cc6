"""Preparing claimed delivery rows: is each still to be sent now (the target's address not blocked, its
daytime window open, its hourly budget left, the signature still counting), and its email.

One path for every kind: one query reads, for a whole claimed batch, what changes per row (the row,
its signature, the target's address and mail health); the petition, target and settings come from the
run's cache. Letters are built from those plain values; the rarer kinds (digest, milestone,
hand-over) read their rows.
"""

import functools
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, inspect
from sqlalchemy.orm import joinedload

from campaign.delivery.messages import Supporter, build_message, letter_message, message_id_for, place_of
from campaign.delivery.outcome import (
    BLOCKED,
    GAVE_UP,
    WITHDRAWN,
    Attempt,
    Outcomes,
    SendResult,
    cut_off_too_often,
    postpone,
)
from campaign.delivery.settings import settings_for
from campaign.delivery.throttle import next_daytime, take_places
from campaign.extensions import db
from campaign.mail import public_url
from campaign.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Petition,
    Signature,
    Target,
    TargetMailHealth,
)

TOKEN_STAND_IN = "token-stand-in-7c1e"  # noqa: S105 - URL-safe as it is, so werkzeug leaves it alone


class RunCache:
    """What does not change between the letters of one sender run: the petition, target and settings
    rows (plain copies, so the commits between batches do not expire them) and the petition's link. A
    target's address is checked per letter, so a readdressed target is read again at the next claim."""

    def __init__(self):
        self.settings: dict = {}
        self.petitions: dict = {}
        self.targets: dict = {}
        self.petition_urls: dict = {}
        self.rendered: dict = {}  # supporter mails rendered once per petition and language
        self.token_links: dict = {}  # (endpoint, language) -> the link with a stand-in for the token

    def settings_for(self, petition_id: int):
        if petition_id not in self.settings:
            self.settings[petition_id] = _snapshot(settings_for(petition_id))
        return self.settings[petition_id]

    def petition(self, petition_id: int) -> Petition | None:
        if petition_id not in self.petitions:
            self.petitions[petition_id] = _snapshot(db.session.get(Petition, petition_id))
        return self.petitions[petition_id]

    def target(self, target_id: int, email: str) -> Target | None:
        target = self.targets.get(target_id)
        if target is None or target.email != email:  # changed since it was cached: read it again
            self.targets[target_id] = target = _snapshot(
                db.session.get(Target, target_id, populate_existing=True)
            )
        return target

    def token_link(self, endpoint: str, token: str, lang: str) -> str:
        """public_url(endpoint, token=token, lang=lang), built once per endpoint and language in a run:
        the tokens are URL-safe (letters, digits, '-', '_', '.'), so putting one in for the stand-in
        gives the very link werkzeug builds."""
        key = (endpoint, lang)
        if key not in self.token_links:
            self.token_links[key] = public_url(endpoint, token=TOKEN_STAND_IN, lang=lang)
        return self.token_links[key].replace(TOKEN_STAND_IN, token)

    def petition_url(self, petition: Petition) -> str:
        if petition.id not in self.petition_urls:
            self.petition_urls[petition.id] = public_url("public.petition", slug=petition.slug)
        return self.petition_urls[petition.id]


def _snapshot(row):
    """A plain copy of a row's columns: unaffected by the session's commits (which expire rows)
    and leaving the session's own objects alone."""
    if row is None:
        return None
    return SimpleNamespace(
        **{column.key: getattr(row, column.key) for column in inspect(row).mapper.column_attrs}
    )


@functools.cache
def _row_query():
    """prepare_claimed's query, built once: the sender runs it for every batch."""
    d, s, t, h = (Delivery.__table__, Signature.__table__, Target.__table__, TargetMailHealth.__table__)
    return (
        db.select(
            d.c.id,
            d.c.due_at,
            d.c.kind,
            d.c.petition_id,
            d.c.target_id,
            d.c.attempts,
            d.c.created_at,
            d.c.signature_id,
            s.c.name,
            s.c.region,
            s.c.country,
            s.c.message,
            s.c.email,
            s.c.reply_to_me,
            Signature.counts.label("counts"),
            t.c.email.label("target_email"),
            h.c.blocked_email,
            h.c.failures_in_a_row,
        )
        .select_from(
            d.join(t, t.c.id == d.c.target_id)
            .outerjoin(s, s.c.id == d.c.signature_id)
            .outerjoin(h, h.c.target_id == d.c.target_id)
        )
        .where(d.c.id.in_(bindparam("d_ids", expanding=True)))
    )


def prepare_claimed(
    delivery_ids: list[int],
    lease: datetime,
    now: datetime,
    record: Outcomes,
    budgets: dict,
    cache: RunCache,
) -> list[Attempt | SendResult]:
    """The emails of claimed rows, oldest due first, or the outcomes decided without sending (in
    `record`). `budgets` remembers, within one run, targets found over their hourly budget."""
    if not delivery_ids:
        return []
    rows = db.session.execute(_row_query(), {"d_ids": delivery_ids}).all()
    rows.sort(key=lambda row: (row.due_at, row.id))  # the claim's RETURNING keeps no order
    decided = {row.id: _decided(row, lease, now, record, cache) for row in rows}
    ready = {row.id: row for row in rows if decided[row.id] is None}
    for row_id, later in _over_budget(ready.values(), now, budgets, cache).items():
        decided[row_id] = postpone(record, row_id, lease, later, ready[row_id].attempts)
    return [decided[row.id] or _attempt(row, lease, cache) for row in rows]


def _decided(row, lease, now, record: Outcomes, cache: RunCache) -> SendResult | None:
    """What is decided about a row before its target's budget is asked: given up, skipped, or
    waiting for the target's daytime. None: to be sent, if the budget allows."""
    if cut_off_too_often(row.attempts):
        return record.finish(row.id, lease, DeliveryStatus.FAILED, last_error=GAVE_UP, outcome="failed")
    if row.blocked_email and row.blocked_email == row.target_email:
        return record.finish(row.id, lease, DeliveryStatus.FAILED, last_error=BLOCKED, outcome="skipped")
    if row.kind != DeliveryKind.LETTER:
        return None
    if not row.counts:  # the signature was withdrawn, invalidated or flagged as abuse
        return record.finish(row.id, lease, DeliveryStatus.FAILED, last_error=WITHDRAWN, outcome="skipped")
    settings = cache.settings_for(row.petition_id)
    if settings is not None and settings.daytime_only:
        target = cache.target(row.target_id, row.target_email)
        opening = next_daytime(now, target.timezone, settings.day_starts, settings.day_ends)
        if opening is not None:
            return postpone(record, row.id, lease, opening, row.attempts)
    return None


def _over_budget(rows, now: datetime, budgets: dict, cache: RunCache) -> dict[int, datetime]:
    """The letters among `rows` that must wait for their target's hourly budget, and until when.
    Places are taken per target for all its letters at once (campaign.delivery.throttle). Targets
    found over budget in this run wait for the same moment without asking Redis again (nothing
    frees up within the run)."""
    wanted: dict[tuple, list[int]] = {}
    for row in rows:
        if row.kind == DeliveryKind.LETTER and cache.settings_for(row.petition_id) is not None:
            wanted.setdefault((row.petition_id, row.target_id), []).append(row.id)
    waiting = {}
    for (petition_id, target_id), ids in wanted.items():
        later = budgets.get((petition_id, target_id))
        granted = 0
        if later is None or later <= now:
            per_hour = cache.settings_for(petition_id).letters_per_hour
            granted, wait = take_places(petition_id, target_id, per_hour, len(ids))
            later = now + timedelta(seconds=wait) if wait else None
            if later is not None:
                budgets[(petition_id, target_id)] = later
        waiting.update((delivery_id, later) for delivery_id in ids[granted:])
    return waiting


def _attempt(row, lease: datetime, cache: RunCache) -> Attempt:
    if row.kind == DeliveryKind.LETTER:
        message = _letter(row.id, row, cache.target(row.target_id, row.target_email), cache)
    else:
        delivery = db.session.get(
            Delivery, row.id, populate_existing=True, options=[joinedload(Delivery.petition)]
        )
        message = build_message(delivery, settings_for(row.petition_id))
    return Attempt(
        row.id, row.target_id, row.target_email, row.attempts, lease, message, row.failures_in_a_row or 0
    )


def _letter(delivery_id: int, row, target, cache: RunCache):
    petition = cache.petition(row.petition_id)
    supporter = Supporter(
        row.name,
        place_of(row.region, row.country, target.language),
        row.message or "",
        row.email,
        row.reply_to_me,
    )
    message = letter_message(
        petition, target, supporter, petition_url=cache.petition_url(petition), rendered=cache.rendered
    )
    message.msgId = message_id_for(delivery_id, row.created_at)
    return message
