"""What admins and campaigners change: allow/block lists, pause and proof-of-work switches, flags.

The lists and switches are read on every sign request, so they are kept in a per-process snapshot
that is reloaded every ABUSE_CACHE_SECONDS (and at once in the process that changed them).
"""

import ipaddress
import time
from dataclasses import dataclass, field

from flask import current_app

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.jobs import FOLD_NUDGE, SUPPORTER_MAIL_NUDGE
from campaign.models import AbuseRule, Signature, SignatureStatus, SigningSwitch
from campaign.models.abuse import GLOBAL_SCOPE, RuleAction, RuleKind
from campaign.queueing import nudge_after_commit

_CACHE_KEY = "abuse_snapshot"


class RuleError(FieldError):
    """A domain or network an admin typed that we cannot use."""


@dataclass(frozen=True)
class Switch:
    paused: bool = False
    proof_of_work: bool = False
    message: str = ""


@dataclass(frozen=True)
class Snapshot:
    allowed_domains: frozenset = frozenset()
    blocked_domains: frozenset = frozenset()
    allowed_networks: tuple = ()
    blocked_networks: tuple = ()
    switches: dict = field(default_factory=dict)

    def switch(self, petition_id: int | None) -> Switch:
        return self.switches.get(SigningSwitch.scope_for(petition_id), Switch())

    def pause_message(self, petition_id: int) -> str | None:
        """The message to show when signing is paused here or everywhere ("" for the default text)."""
        for scope in (GLOBAL_SCOPE, SigningSwitch.scope_for(petition_id)):
            state = self.switches.get(scope)
            if state and state.paused:
                return state.message
        return None

    def proof_of_work(self, petition_id: int) -> bool:
        return any(self.switch(p).proof_of_work for p in (None, petition_id))


def snapshot() -> Snapshot:
    app = current_app._get_current_object()
    cached = app.extensions.get(_CACHE_KEY)
    if cached and time.monotonic() - cached[0] < app.config["ABUSE_CACHE_SECONDS"]:
        return cached[1]
    loaded = _load()
    app.extensions[_CACHE_KEY] = (time.monotonic(), loaded)
    return loaded


def forget_snapshot() -> None:
    current_app.extensions.pop(_CACHE_KEY, None)


def _load() -> Snapshot:
    lists = {(kind, action): [] for kind in RuleKind for action in RuleAction}
    for rule in db.session.execute(db.select(AbuseRule)).scalars():
        lists[(rule.kind, rule.action)].append(rule.value)
    switches = {
        row.scope: Switch(row.paused, row.proof_of_work, row.message)
        for row in db.session.execute(db.select(SigningSwitch)).scalars()
    }
    networks = lambda action: tuple(ipaddress.ip_network(v) for v in lists[(RuleKind.NETWORK, action)])  # noqa: E731
    return Snapshot(
        allowed_domains=frozenset(lists[(RuleKind.DOMAIN, RuleAction.ALLOW)]),
        blocked_domains=frozenset(lists[(RuleKind.DOMAIN, RuleAction.BLOCK)]),
        allowed_networks=networks(RuleAction.ALLOW),
        blocked_networks=networks(RuleAction.BLOCK),
        switches=switches,
    )


def clean_rule_value(kind: str, raw: str) -> str:
    """A domain in lower-case punycode, or a network in canonical CIDR form."""
    value = (raw or "").strip().lower()
    if kind == RuleKind.NETWORK:
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise RuleError("network") from None
    value = value.lstrip("@").rstrip(".")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        raise RuleError("domain") from None
    if (
        "." not in value
        or len(value) > 253
        or not all(part.replace("-", "").isalnum() for part in value.split("."))
    ):
        raise RuleError("domain")
    return value


def add_rule(kind: str, raw_value: str, action: str, note: str = "", *, actor) -> AbuseRule:
    """Add (or change the action of) a rule. Flushes; the caller commits."""
    kind, action = RuleKind(kind), RuleAction(action)
    value = clean_rule_value(kind, raw_value)
    rule = db.session.execute(
        db.select(AbuseRule).where(AbuseRule.kind == kind, AbuseRule.value == value)
    ).scalar_one_or_none()
    if rule is None:
        rule = AbuseRule(kind=kind, value=value, action=action, note=note[:200])
        db.session.add(rule)
    else:
        rule.action, rule.note = action, note[:200]
    db.session.flush()
    forget_snapshot()
    audit.record("abuse.rule", f"abuse_rule:{rule.id}", details=f"{rule.kind} {rule.action}", actor=actor)
    return rule


def remove_rule(rule_id: int, *, actor) -> AbuseRule | None:
    rule = db.session.get(AbuseRule, rule_id)
    if rule is not None:
        db.session.delete(rule)
        db.session.flush()
        forget_snapshot()
        audit.record("abuse.rule_delete", f"abuse_rule:{rule_id}", actor=actor)
    return rule


def set_switch(
    petition_id: int | None,
    *,
    paused: bool | None = None,
    proof_of_work: bool | None = None,
    message: str | None = None,
    actor,
) -> SigningSwitch:
    """Pause signing or require proof of work, on one petition or (petition_id None) everywhere."""
    scope = SigningSwitch.scope_for(petition_id)
    row = db.session.get(SigningSwitch, scope)
    if row is None:
        row = SigningSwitch(scope=scope, paused=False, proof_of_work=False, message="")
        db.session.add(row)
    if paused is not None:
        row.paused = paused
    if proof_of_work is not None:
        row.proof_of_work = proof_of_work
    if message is not None:
        row.message = message.strip()[:500]
    db.session.flush()
    forget_snapshot()
    subject = f"petition:{petition_id}" if petition_id else "all"
    details = f"paused={row.paused} proof_of_work={row.proof_of_work}"
    audit.record("abuse.switch", subject, details=details, actor=actor)
    return row


def _flagged(petition_id: int, ids: list[int] | None):
    table = Signature.__table__
    condition = (table.c.petition_id == petition_id) & table.c.flag.is_not(None)
    if ids is not None:
        condition &= table.c.id.in_(ids)
    return table, condition


def release_flagged(petition_id: int, ids: list[int] | None = None, *, actor) -> int:
    """A campaigner judged these flagged signatures genuine: the fold counts the confirmed ones."""
    table, condition = _flagged(petition_id, ids)
    changed = db.session.execute(table.update().where(condition).values(flag=None)).rowcount
    nudge_after_commit(FOLD_NUDGE)
    # Their confirmation mails, held back while flagged, may go now (campaign.signing.outbox).
    nudge_after_commit(SUPPORTER_MAIL_NUDGE)
    audit.record("abuse.release", f"petition:{petition_id}", details=f"{changed} signatures", actor=actor)
    return changed


def reject_flagged(petition_id: int, ids: list[int] | None = None, *, actor) -> int:
    """A campaigner judged these flagged signatures fake: invalidated, they never count."""
    table, condition = _flagged(petition_id, ids)
    condition &= table.c.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED])
    changed = db.session.execute(
        table.update()
        .where(condition)
        .values(status=SignatureStatus.INVALIDATED, mail_due=None, mail_due_at=None)
    ).rowcount
    nudge_after_commit(FOLD_NUDGE)
    audit.record("abuse.reject", f"petition:{petition_id}", details=f"{changed} signatures", actor=actor)
    return changed


def flagged_summary() -> dict[int, dict[str, int]]:
    """Per petition, how many live signatures are held back, per reason."""
    rows = db.session.execute(
        db.select(Signature.petition_id, Signature.flag, db.func.count())
        .where(
            Signature.flag.is_not(None),
            Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
        )
        .group_by(Signature.petition_id, Signature.flag)
    ).all()
    summary: dict[int, dict[str, int]] = {}
    for petition_id, flag, n in rows:
        summary.setdefault(petition_id, {})[flag] = n
    return summary


def flagged_signatures(petition_id: int, limit: int = 200) -> list[Signature]:
    return (
        db.session.execute(
            db.select(Signature)
            .where(
                Signature.petition_id == petition_id,
                Signature.flag.is_not(None),
                Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
            )
            .order_by(Signature.created_at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def rules() -> list[AbuseRule]:
    return db.session.execute(db.select(AbuseRule).order_by(AbuseRule.kind, AbuseRule.value)).scalars().all()
