"""The scenarios. Each runs for a bounded time and returns figures beside their targets.

A figure is (name, value, unit, target) where the target is a tuple (op, bound) or None (reported only).
"""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from bench import seed
from bench.load import Load, finish_wrk, run_wrk, start_wrk
from bench.stack import Stack, memory_kb
from campaign.extensions import db
from campaign.models import Petition, SignatureStatus


@dataclass
class Result:
    name: str
    status: str = "ran"  # ran | skipped | failed
    reason: str = ""
    figures: list = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def figure(self, metric: str, value, unit: str = "", target: tuple | None = None):
        passed = None
        if target is not None and value is not None:
            op, bound = target
            passed = {">=": value >= bound, "<=": value <= bound, "<": value < bound, "==": value == bound}[
                op
            ]
        self.figures.append(
            {
                "metric": metric,
                "value": value,
                "unit": unit,
                "target": f"{target[0]} {target[1]}" if target else "",
                "pass": passed,
            }
        )
        return value

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "reason": self.reason,
            "figures": self.figures,
            "details": self.details,
        }


@dataclass
class Context:
    stack: Stack
    app: object
    wrk: str
    run: str
    seconds: dict
    shared: dict = field(default_factory=dict)  # figures one scenario needs from another (noop rate)

    def url(self, path: str = "") -> str:
        return self.stack.base_url + path

    def get_json(self, path: str):
        with urllib.request.urlopen(self.url(path), timeout=10) as answer:  # noqa: S310 - our own loopback URL
            return json.loads(answer.read())

    def status_of(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as answer:  # noqa: S310
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def petition_id(self, slug: str) -> int:
        with self.app.app_context():
            return db.session.execute(db.select(Petition.id).where(Petition.slug == slug)).scalar_one()

    def queue_depth(self) -> int:
        from campaign.queueing import get_queue

        with self.app.app_context():
            return len(get_queue())

    def failed_jobs(self) -> int:
        from campaign.queueing import get_queue

        with self.app.app_context():
            return len(get_queue().failed_job_registry)


def cpu_per_operation(
    result: Result, label: str, spent: float, operations: int, target_ms: float | None
) -> float | None:
    """CPU milliseconds per operation from CPU seconds spent by one role over `operations`."""
    value = round(1000 * spent / operations, 2) if operations > 0 else None
    result.figure(label, value, "ms CPU", ("<=", target_ms) if target_ms else None)
    return value


def spent(before: dict, after: dict, role: str) -> float:
    return after.get(role, 0.0) - before.get(role, 0.0)


def _latency(result: Result, load: Load, label: str, p95_target: float | None) -> None:
    result.figure(f"{label} p50", load.latency_ms["p50"], "ms")
    result.figure(f"{label} p95", load.latency_ms["p95"], "ms", ("<=", p95_target) if p95_target else None)
    result.figure(f"{label} p99", load.latency_ms["p99"], "ms")


def noop(ctx: Context) -> Result:
    result = Result("noop")
    before = ctx.stack.cpu_snapshot()
    load = run_wrk(
        ctx.wrk,
        ctx.url(),
        "get.lua",
        threads=2,
        connections=16,
        seconds=ctx.seconds["noop"],
        env={"BENCH_PATH": "/healthz/ping"},
    )
    after = ctx.stack.cpu_snapshot()
    ctx.shared["noop_rps"] = load.ok_per_second
    result.figure("GET /healthz/ping", round(load.ok_per_second), "req/s")
    cpu_per_operation(result, "web CPU per ping", spent(before, after, "web"), load.ok, None)
    _latency(result, load, "ping", None)
    result.figure("errors", load.errors, "", ("==", 0))
    result.details["wrk"] = load.as_dict()
    return result


def sign(ctx: Context) -> Result:
    result = Result("sign")
    slug = "bench-sign"
    petition_id = ctx.petition_id(slug)
    mails_before, depth_before = ctx.stack.sink.messages, ctx.queue_depth()
    before = ctx.stack.cpu_snapshot()
    load = run_wrk(
        ctx.wrk,
        ctx.url(),
        "sign.lua",
        threads=16,
        connections=16,
        seconds=ctx.seconds["sign"],
        env={
            "BENCH_FORM_PATH": f"/petitions/{slug}",
            "BENCH_SIGN_PATH": f"/petitions/{slug}/sign",
            "BENCH_RUN": f"s{ctx.run}",
        },
    )
    after, mails = ctx.stack.cpu_snapshot(), ctx.stack.sink.messages - mails_before
    result.figure("accepted signatures", round(load.ok_per_second), "/s", (">=", 500))
    _latency(result, load, "sign", 100)
    ctx.shared["sign_web_ms"] = cpu_per_operation(
        result, "web CPU per accepted signature", spent(before, after, "web"), load.ok, 1.5
    )
    cpu_per_operation(result, "worker CPU per confirmation mail", spent(before, after, "worker"), mails, 1.5)
    result.figure("errors", load.errors, "", ("==", 0))
    noop_rps = ctx.shared.get("noop_rps")
    if noop_rps:
        result.figure("of noop throughput", round(100 * load.ok_per_second / noop_rps, 1), "%", (">=", 25))
    time.sleep(1)  # requests in flight when wrk stopped finish and commit
    with ctx.app.app_context():
        rows = seed.stored(petition_id)
    # wrk stops with up to one request per connection in flight: stored but never answered to wrk.
    result.figure("stored rows - accepted", rows - load.ok, "", ("<=", 16))
    result.figure("accepted but not stored", max(0, load.ok - rows), "", ("==", 0))
    result.details.update(
        wrk=load.as_dict(),
        stored_rows=rows,
        confirmation_mails_sent_during=mails,
        queue_depth_before=depth_before,
        queue_depth_after=ctx.queue_depth(),
    )
    return result


CONFIRM_THREADS = 16


def prepare_confirm(ctx: Context, per_thread: int) -> None:
    petition_id = ctx.petition_id("bench-confirm")
    with ctx.app.app_context():
        for thread in range(1, CONFIRM_THREADS + 1):
            seed.bulk_insert(
                seed.signature_rows(petition_id, per_thread, prefix=f"c{ctx.run}-{thread}", confirmed=False)
            )


def confirm(ctx: Context) -> Result:
    result = Result("confirm")
    slug, per_thread = "bench-confirm", ctx.shared["confirm_per_thread"]
    petition_id = ctx.petition_id(slug)
    before = ctx.stack.cpu_snapshot()
    load = run_wrk(
        ctx.wrk,
        ctx.url(),
        "confirm.lua",
        threads=CONFIRM_THREADS,
        connections=CONFIRM_THREADS,
        seconds=ctx.seconds["confirm"],
        env={
            "BENCH_FORM_PATH": f"/petitions/{slug}",
            "BENCH_RUN": f"c{ctx.run}",
            "BENCH_PER_THREAD": str(per_thread),
        },
    )
    after = ctx.stack.cpu_snapshot()
    result.figure("confirmations", round(load.ok_per_second), "/s", (">=", 300))
    _latency(result, load, "confirm", None)
    cpu_per_operation(result, "web CPU per confirmation", spent(before, after, "web"), load.ok, 2)
    result.figure("errors", load.errors, "", ("==", 0))
    if load.exhausted:
        result.reason = f"{load.exhausted} requests found no seeded token left (raise the seed)"
    # The public count must reach the confirmed rows exactly, within one fold (FOLD_INTERVAL, nudged).
    # Requests wrk left in flight still commit after it stops: recount the rows on every poll.
    started, public = time.monotonic(), None
    deadline = started + 3 * ctx.app.config["FOLD_INTERVAL"] + ctx.app.config["COUNT_CACHE_SECONDS"] + 10
    while time.monotonic() < deadline:
        with ctx.app.app_context():
            confirmed = seed.stored(petition_id, SignatureStatus.CONFIRMED)
        public = ctx.get_json(f"/petitions/{slug}/count.json")["count"]
        if public == confirmed:
            break
        time.sleep(0.25)
    result.figure(
        "confirmed rows - confirmations (in flight)", confirmed - load.ok, "", ("<=", CONFIRM_THREADS)
    )
    result.figure("confirmed but not stored", max(0, load.ok - confirmed), "", ("==", 0))
    result.figure("public count - confirmed rows", (public or 0) - confirmed, "", ("==", 0))
    result.figure("count exact after", round(time.monotonic() - started, 1), "s")
    result.details.update(wrk=load.as_dict(), confirmed_rows=confirmed, public_count=public)
    return result


def read_while_signing(ctx: Context) -> Result:
    """count.json, then the petition page, each with its own wrk, while a steady 100 signatures/s go in."""
    result = Result("read-while-signing")
    slug = "bench-read"
    phase = ctx.seconds["read"]
    signer = start_wrk(
        ctx.wrk,
        ctx.url(),
        "sign.lua",
        threads=4,
        connections=4,
        seconds=2 * phase + 2,
        env={
            "BENCH_FORM_PATH": f"/petitions/{slug}",
            "BENCH_SIGN_PATH": f"/petitions/{slug}/sign",
            "BENCH_RUN": f"r{ctx.run}",
            "BENCH_RATE": "25",
        },
    )
    cpu = []
    try:
        time.sleep(1)
        cpu.append(ctx.stack.cpu_snapshot())
        count = run_wrk(
            ctx.wrk,
            ctx.url(),
            "get.lua",
            threads=2,
            connections=16,
            seconds=phase,
            env={"BENCH_PATH": f"/petitions/{slug}/count.json"},
        )
        cpu.append(ctx.stack.cpu_snapshot())
        page = run_wrk(
            ctx.wrk,
            ctx.url(),
            "get.lua",
            threads=2,
            connections=16,
            seconds=phase,
            env={"BENCH_PATH": f"/petitions/{slug}"},
        )
        cpu.append(ctx.stack.cpu_snapshot())
    finally:
        signed = finish_wrk(signer)
    result.figure("count.json", round(count.ok_per_second), "req/s", (">=", 2000))
    _latency(result, count, "count.json", 50)
    result.figure("petition page", round(page.ok_per_second), "req/s", (">=", 1000))
    _latency(result, page, "page", 50)
    result.figure("signatures meanwhile", round(signed.ok_per_second), "/s", (">=", 95))
    # The web CPU of each phase, less the signing's share (at the sign scenario's CPU a signature).
    signing_ms = ctx.shared.get("sign_web_ms") or 0.0
    for (label, target), load, (first, last) in zip(
        [("web CPU per count.json", 0.25), ("web CPU per petition page", 0.5)],
        [count, page],
        [(cpu[0], cpu[1]), (cpu[1], cpu[2])],
        strict=True,
    ):
        signing = signed.ok_per_second * load.seconds * signing_ms / 1000
        cpu_per_operation(result, label, spent(first, last, "web") - signing, load.ok, target)
    result.figure("errors", count.errors + page.errors + signed.errors, "", ("==", 0))
    result.details.update(count_json=count.as_dict(), page=page.as_dict(), signer=signed.as_dict())
    return result


METRICS_PETITIONS = 50


def prepare_metrics(ctx: Context, total: int) -> dict:
    """`total` confirmed signatures over 50 petitions, in bulk, then the platform's own fold."""
    started = time.monotonic()
    per = total // METRICS_PETITIONS
    with ctx.app.app_context():
        ids = [p.id for p in seed.create_petitions("bench-m", METRICS_PETITIONS)]
        inserted = 0
        for n, petition_id in enumerate(ids):
            count = per + (total - per * METRICS_PETITIONS if n == 0 else 0)
            inserted += seed.bulk_insert(
                seed.signature_rows(petition_id, count, prefix=f"m{ctx.run}-{petition_id}", confirmed=True)
            )
        insert_seconds = time.monotonic() - started
        folded, fold_seconds = seed.fold_everything()
    return {
        "inserted": inserted,
        "insert_seconds": round(insert_seconds, 1),
        "folded": folded,
        "fold_seconds": round(fold_seconds, 1),
    }


def metrics_1m(ctx: Context) -> Result:
    result = Result("metrics-1m")
    result.details["seed"] = ctx.shared.get("metrics_seed")
    slug, phase = "bench-m-1", ctx.seconds["metrics"]
    public = ctx.get_json(f"/petitions/{slug}/count.json")["count"]
    result.figure(
        "count.json of a seeded petition - seeded", public - ctx.shared["metrics_first_count"], "", ("==", 0)
    )
    paths = [
        ("/metrics", "/metrics", 100),
        ("petition page", f"/petitions/{slug}", 100),
        ("count.json", f"/petitions/{slug}/count.json", 20),
    ]
    missing = []
    for label, path, p95 in paths:
        status = ctx.status_of(path)
        if status != 200:
            missing.append(f"{path} answers {status}")
            result.figure(f"{label} p95", None, "ms", ("<", p95))
            continue
        load = run_wrk(
            ctx.wrk, ctx.url(), "get.lua", threads=2, connections=16, seconds=phase, env={"BENCH_PATH": path}
        )
        result.figure(f"{label}", round(load.ok_per_second), "req/s")
        result.figure(f"{label} p95", load.latency_ms["p95"], "ms", ("<", p95))
        result.figure(f"{label} errors", load.errors, "", ("==", 0))
        result.details[label] = load.as_dict()
    if missing:
        result.reason = "missing: " + "; ".join(missing)
    return result


def memory(ctx: Context) -> Result:
    """Peak RSS (VmHWM) of every web and RQ worker over the whole run so far, then the CSV export."""
    result = Result("memory")
    web = [memory_kb(pid) for pid in ctx.stack.web_pids()]
    workers = [memory_kb(pid) for pid in ctx.stack.worker_pids()]
    web_peak = max((m.get("VmHWM", 0) for m in web), default=0) / 1024
    worker_peak = max((m.get("VmHWM", 0) for m in workers), default=0) / 1024
    result.figure("web worker peak RSS", round(web_peak, 1), "MB", ("<=", 150))
    result.figure("RQ worker peak RSS", round(worker_peak, 1), "MB", ("<=", 150))
    result.details.update(web_kb=web, worker_kb=workers)
    export = ctx.shared.get("export")
    if export is None:
        result.reason = ctx.shared.get("export_skip", "CSV export not measured")
    else:
        result.figure("CSV export RSS growth", export["growth_mb"], "MB", ("<=", 50))
        result.figure("CSV export rows", export["rows"], "", ("==", export["expected_rows"]))
        result.figure("CSV export", export["rows_per_second"], "rows/s")
        result.details["export"] = export
    return result


def drain_queue(ctx: Context, timeout: float = 60) -> float:
    """Wait for the supporter mail backlog of earlier scenarios to go; returns the seconds waited."""
    started = time.monotonic()
    while ctx.queue_depth() and time.monotonic() - started < timeout:
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def deliver(ctx: Context, letters: int = 10_000) -> Result:
    """Letters to officials: outbox rows in bulk, the sender nudged once as a commit that owes them does,
    2 RQ workers, the SMTP sink."""
    result = Result("deliver")
    try:
        from campaign.jobs import DELIVERY_NUDGE
        from campaign.models import Delivery, DeliverySettings, DeliveryStatus, Target
    except ImportError as error:
        return Result("deliver", status="skipped", reason=f"campaign.delivery is not there yet ({error})")
    from campaign.queueing import nudge

    result.details["waited_for_backlog_s"] = drain_queue(ctx)
    per_target = letters // 2
    with ctx.app.app_context():
        petition = seed.create_petitions("bench-deliver", 1)[0]
        targets = [Target(name=f"Bench ontvanger {n}", email=f"ontvanger{n}@example.org") for n in (1, 2)]
        petition.targets = targets
        db.session.add(DeliverySettings(petition=petition, letters=True, letters_per_hour=10_000_000))
        db.session.commit()
        seed.bulk_insert(seed.signature_rows(petition.id, per_target, prefix=f"d{ctx.run}", confirmed=True))
        signature_ids = (
            db.session.execute(db.select(seed.Signature.id).where(seed.Signature.petition_id == petition.id))
            .scalars()
            .all()
        )
        now = seed.utcnow()
        rows = seed.letter_rows(petition.id, signature_ids, [target.id for target in targets], now)
        db.session.execute(Delivery.__table__.insert(), rows)
        db.session.commit()
        ids = (
            db.session.execute(db.select(Delivery.id).where(Delivery.petition_id == petition.id))
            .scalars()
            .all()
        )
        sent_before = ctx.stack.sink.messages
        before = ctx.stack.cpu_snapshot()
        started = time.monotonic()
        nudge(DELIVERY_NUDGE)
        deadline = started + 150
        while time.monotonic() < deadline and ctx.stack.sink.messages - sent_before < len(ids):
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        after = ctx.stack.cpu_snapshot()
        delivered = ctx.stack.sink.messages - sent_before
        sent_rows = db.session.execute(
            db.select(db.func.count())
            .select_from(Delivery)
            .where(Delivery.petition_id == petition.id, Delivery.status == DeliveryStatus.SENT)
        ).scalar()
        db.session.rollback()
    result.figure("letters", round(delivered / elapsed), "emails/s", (">=", 200))
    result.figure("letters sent", delivered, "", ("==", len(ids)))
    cpu_per_operation(result, "worker CPU per letter", spent(before, after, "worker"), delivered, 1.5)
    cpu_per_operation(
        result, "SMTP sink CPU per letter (apart)", spent(before, after, "harness+sink"), delivered, None
    )
    result.figure("rows marked sent", sent_rows, "", ("==", len(ids)))
    result.figure("failed jobs", ctx.failed_jobs(), "", ("==", 0))
    result.details.update(letters=len(ids), seconds=round(elapsed, 1))
    return result


def updates(ctx: Context, mails: int = 5_000) -> Result:
    """Updates to supporters: one update to `mails` confirmed supporters who opted in, sent off as the
    studio does (outbox rows, the sender nudged after the commit), 2 RQ workers, the SMTP sink. Reports
    mails per second and the workers' CPU per mail."""
    result = Result("updates")
    try:
        from campaign.jobs import UPDATES_NUDGE
        from campaign.models import SupporterUpdate, UpdateMail
        from campaign.outreach import send_update
    except ImportError as error:
        return Result("updates", status="skipped", reason=f"campaign.outreach is not there yet ({error})")
    from campaign.queueing import nudge

    result.details["waited_for_backlog_s"] = drain_queue(ctx)
    with ctx.app.app_context():
        petition = seed.create_petitions("bench-updates", 1)[0]
        rows = seed.signature_rows(petition.id, mails, prefix=f"u{ctx.run}", confirmed=True)
        seed.bulk_insert({**row, "newsletter": True} for row in rows)
        update = SupporterUpdate(petition_id=petition.id, subject="Gewonnen!", body="Het **verbod** komt er.")
        db.session.add(update)
        db.session.flush()
        ctx.app.config["UPDATE_MAILS_PER_MINUTE"] = 0  # the throttle would only measure itself
        owed = send_update(update, None, seed.utcnow())
        db.session.commit()
        sent_before = ctx.stack.sink.messages
        cpu_before = ctx.stack.cpu_snapshot()["worker"]
        started = time.monotonic()
        nudge(UPDATES_NUDGE)
        deadline = started + 150
        while time.monotonic() < deadline and ctx.stack.sink.messages - sent_before < owed:
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        worker_cpu = ctx.stack.cpu_snapshot()["worker"] - cpu_before
        delivered = ctx.stack.sink.messages - sent_before
        marked = (
            db.select(db.func.count())
            .select_from(UpdateMail)
            .where(UpdateMail.update_id == update.id, UpdateMail.status == "sent")
        )
        # The sink counts a batch's mails before the worker commits the batch: wait for that commit.
        while (sent_rows := db.session.execute(marked).scalar()) < owed and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.2)
        db.session.rollback()
    result.figure("updates", round(delivered / elapsed), "mails/s", (">=", 200))
    result.figure(
        "worker CPU per update mail", round(1000 * worker_cpu / max(delivered, 1), 2), "ms", ("<=", 5)
    )
    result.figure("update mails sent", delivered, "", ("==", owed))
    result.figure("rows marked sent", sent_rows, "", ("==", owed))
    result.figure("failed jobs", ctx.failed_jobs(), "", ("==", 0))
    result.details.update(mails=owed, seconds=round(elapsed, 1))
    return result


def export_csv(ctx: Context) -> dict | None:
    """Stream /studio/.../signatures.csv of a petition holding the 1M seeded rows; RSS growth of the web
    worker that serves it (sampled every 0.1 s)."""
    import http.cookiejar
    import re
    import threading
    import urllib.parse

    from flask import url_for

    with ctx.app.app_context():
        if "studio.signatures_export" not in ctx.app.view_functions:
            ctx.shared["export_skip"] = "no studio CSV export route (studio.signatures_export) yet"
            return None
        from campaign.accounts import create_account

        email, password = f"bench-{ctx.run}@example.org", "bench-Password-" + ctx.run * 2
        create_account(email, password, "campaigner")
        db.session.commit()
        # One petition holds every row of metrics-1m now (re-pointing them is part of the setup, not timed).
        target = seed.create_petitions("bench-export", 1)[0].id
        moved_started = time.monotonic()
        ids = (
            db.session.execute(db.select(Petition.id).where(Petition.slug.like("bench-m-%"))).scalars().all()
        )
        db.session.execute(
            seed.Signature.__table__.update()
            .where(seed.Signature.petition_id.in_(ids))
            .values(petition_id=target)
        )
        db.session.commit()
        rows = seed.stored(target, SignatureStatus.CONFIRMED)
        with ctx.app.test_request_context():
            path = url_for("studio.signatures_export", petition_id=target)
    moved = time.monotonic() - moved_started
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(ctx.url("/studio/login"), timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    try:  # the session cookie comes with the 303; where it leads is not ours to judge here
        opener.open(ctx.url("/studio/login"), data=body, timeout=10).read()
    except urllib.error.HTTPError as error:
        if not any(cookie.name == "session" for cookie in jar):
            raise RuntimeError(f"studio login failed: {error.code}") from None
    pids = ctx.stack.web_pids()
    baseline = {pid: memory_kb(pid).get("VmRSS", 0) for pid in pids}
    peak = dict(baseline)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], memory_kb(pid).get("VmRSS", 0))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, size, lines = time.monotonic(), 0, 0
    try:
        with opener.open(ctx.url(path), timeout=120) as answer:
            while chunk := answer.read(1 << 20):
                size += len(chunk)
                lines += chunk.count(b"\n")
    finally:
        stop.set()
        sampler.join()
    elapsed = time.monotonic() - started
    growth = max(peak[pid] - baseline[pid] for pid in pids) / 1024
    exported = lines - 1
    return {
        "rows": exported,
        "expected_rows": rows,
        "bytes": size,
        "seconds": round(elapsed, 1),
        "rows_per_second": round(exported / elapsed),
        "growth_mb": round(growth, 1),
        "baseline_kb": baseline,
        "peak_kb": peak,
        "repoint_seconds": round(moved, 1),
    }
