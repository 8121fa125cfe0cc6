"""Scenarios beyond one steady load: a burst with the workers paused then the drain, rate limiting on
against off, and the scale-out (two web servers and two workers against one database and one Redis).
"""

import time

from bench import seed
from bench.load import Load, finish_wrk, run_wrk, start_wrk
from bench.scenarios import (
    Context,
    Result,
    _latency,
    cpu_per_operation,
    drain_queue,
    spent,
)
from bench.stack import pick_port
from campaign.extensions import db
from campaign.models import SignatureStatus


def _sign_env(slug: str, run: str, **extra: str) -> dict:
    return {
        "BENCH_FORM_PATH": f"/petitions/{slug}",
        "BENCH_SIGN_PATH": f"/petitions/{slug}/sign",
        "BENCH_RUN": run,
        **extra,
    }


def _signing(ctx: Context, url: str, slug: str, run: str, seconds: float, **extra: str) -> Load:
    """16 connections signing `slug` at `url` as fast as they are answered, each address new."""
    return run_wrk(
        ctx.wrk,
        url,
        "sign.lua",
        threads=16,
        connections=16,
        seconds=seconds,
        env=_sign_env(slug, run, **extra),
    )


def _wait_for(condition, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def _mails_to(ctx: Context, prefix: str) -> tuple[int, int]:
    """(addresses starting with prefix that got mail, of them how many got more than one)."""
    counts = [n for address, n in list(ctx.stack.sink.by_recipient.items()) if address.startswith(prefix)]
    return len(counts), sum(1 for n in counts if n > 1)


def burst_paused(ctx: Context) -> Result:
    """Signing with the RQ workers stopped (in production they run elsewhere), then the backlog drain."""
    result = Result("burst (workers paused)")
    slug, run = "bench-burst", f"b{ctx.run}"
    result.details["waited_for_backlog_s"] = drain_queue(ctx)
    petition_id = ctx.petition_id(slug)
    ctx.stack.pause_workers()
    try:
        before = ctx.stack.cpu_snapshot()
        load = _signing(ctx, ctx.url(), slug, run, ctx.seconds["burst"])
        after = ctx.stack.cpu_snapshot()
        time.sleep(1)  # requests in flight when wrk stopped commit
        with ctx.app.app_context():
            owed = seed.stored(petition_id)
    finally:
        ctx.stack.pause_workers(False)
    result.figure("accepted signatures", round(load.ok_per_second), "/s", (">=", 800))
    _latency(result, load, "sign", None)
    result.figure("errors", load.errors, "", ("==", 0))
    cpu_per_operation(result, "web CPU per accepted signature", spent(before, after, "web"), load.ok, 1.5)
    started, cpu_before = time.monotonic(), ctx.stack.cpu_snapshot()
    drained = _wait_for(lambda: _mails_to(ctx, run)[0] >= owed, timeout=60 + owed / 100)
    elapsed, cpu_after = time.monotonic() - started, ctx.stack.cpu_snapshot()
    mailed, twice = _mails_to(ctx, run)
    result.figure("backlog drain", round(mailed / elapsed) if elapsed else None, "mails/s", (">=", 500))
    cpu_per_operation(
        result, "worker CPU per confirmation mail", spent(cpu_before, cpu_after, "worker"), mailed, 1.5
    )
    cpu_per_operation(
        result,
        "SMTP sink CPU per mail (apart)",
        spent(cpu_before, cpu_after, "harness+sink"),
        mailed,
        None,
    )
    result.figure("signatures without their mail", owed - mailed, "", ("==", 0))
    result.figure("addresses mailed twice", twice, "", ("==", 0))
    if not drained:
        result.reason = f"the backlog did not drain: {mailed} of {owed} mails after {elapsed:.0f} s"
    result.details.update(wrk=load.as_dict(), owed=owed, drain_seconds=round(elapsed, 1))
    return result


def sign_limits(ctx: Context) -> Result:
    """The same signing with rate limiting off, then on as in production (a second gunicorn with
    RATELIMIT_ENABLED and PROXY_COUNT=1; every request from its own address at a big mail provider,
    so nothing is refused and the limits only cost their checks)."""
    result = Result("rate limiting on vs off")
    phase = ctx.seconds["limits"]
    env = {"BENCH_DOMAIN": "gmail.com", "BENCH_FORWARDED": "1"}
    loads, cpu = {}, {}
    limited_url = ctx.stack.start_web(
        "web-limited", pick_port(ctx.stack.web_port + 1), RATELIMIT_ENABLED="true", PROXY_COUNT="1"
    )
    try:
        for label, url in (("off", ctx.url()), ("on", limited_url)):  # warm the new processes up
            _signing(ctx, url, "bench-limits", f"w{label}{ctx.run}", 2, **env)
        for label, url in (("off", ctx.url()), ("on", limited_url)):
            before = ctx.stack.cpu_snapshot()
            loads[label] = _signing(ctx, url, "bench-limits", f"l{label}{ctx.run}", phase, **env)
            cpu[label] = spent(before, ctx.stack.cpu_snapshot(), "web")
    finally:
        ctx.stack.end("web-limited")
    for label in ("off", "on"):
        result.figure(f"accepted signatures, limits {label}", round(loads[label].ok_per_second), "/s")
        cpu_per_operation(result, f"web CPU per signature, limits {label}", cpu[label], loads[label].ok, None)
    off, on = loads["off"].ok_per_second, loads["on"].ok_per_second
    result.figure("on / off throughput", round(100 * on / off, 1) if off else None, "%", (">=", 85))
    result.figure("errors (429 included)", loads["off"].errors + loads["on"].errors, "", ("==", 0))
    result.details.update(off=loads["off"].as_dict(), on=loads["on"].as_dict())
    return result


SCALE_THREADS = 8  # per wrk: two signing and two confirming, one of each per web server


def prepare_scale_out(ctx: Context, per_thread: int) -> None:
    """A letters petition (two targets) and pending signatures to confirm, before the stack starts."""
    from campaign.models import DeliverySettings, Target

    with ctx.app.app_context():
        petition = seed.create_petitions("bench-scale", 1)[0]
        petition.targets = [
            Target(name=f"Bench schaal {n}", email=f"schaal{n}-{ctx.run}@example.org") for n in (1, 2)
        ]
        db.session.add(DeliverySettings(petition=petition, letters=True, letters_per_hour=10_000_000))
        db.session.commit()
        for web in ("a", "b"):
            for thread in range(1, SCALE_THREADS + 1):
                seed.bulk_insert(
                    seed.signature_rows(
                        petition.id, per_thread, prefix=f"x{web}{ctx.run}-{thread}", confirmed=False
                    )
                )
        db.session.remove()


def scale_out(ctx: Context) -> Result:
    """Two web servers and two RQ workers (processes standing in for machines), one PostgreSQL and
    one Redis: signing and confirming on both at once; then every count exact and every mail once."""
    result = Result("scale-out (2 web, 2 workers)")
    if not ctx.stack.database_url.startswith("postgresql"):
        result.status, result.reason = "skipped", "needs PostgreSQL (BENCH_DATABASE_URL)"
        return result
    from campaign.models import Delivery, DeliveryStatus

    slug, per_thread, phase = "bench-scale", ctx.shared["scale_per_thread"], ctx.seconds["scale"]
    petition_id = ctx.petition_id(slug)
    result.details["waited_for_backlog_s"] = drain_queue(ctx)
    second = ctx.stack.start_web("web-b", pick_port(ctx.stack.web_port + 2))
    try:
        for url in (ctx.url(), second):  # a new server's first requests load templates and catalogues
            run_wrk(
                ctx.wrk,
                url,
                "get.lua",
                threads=2,
                connections=8,
                seconds=3,
                env={"BENCH_PATH": f"/petitions/{slug}"},
            )
        before = ctx.stack.cpu_snapshot()
        running = []
        for web, url in (("a", ctx.url()), ("b", second)):
            running.append(
                start_wrk(
                    ctx.wrk,
                    url,
                    "sign.lua",
                    threads=SCALE_THREADS,
                    connections=SCALE_THREADS,
                    seconds=phase,
                    env=_sign_env(slug, f"s{web}{ctx.run}"),
                )
            )
            running.append(
                start_wrk(
                    ctx.wrk,
                    url,
                    "confirm.lua",
                    threads=SCALE_THREADS,
                    connections=SCALE_THREADS,
                    seconds=phase,
                    env={
                        "BENCH_FORM_PATH": f"/petitions/{slug}",
                        "BENCH_RUN": f"x{web}{ctx.run}",
                        "BENCH_PER_THREAD": str(per_thread),
                    },
                )
            )
        sign_a, confirm_a, sign_b, confirm_b = [finish_wrk(process) for process in running]
        after = ctx.stack.cpu_snapshot()
        signed, confirmed = sign_a.ok + sign_b.ok, confirm_a.ok + confirm_b.ok
        result.figure("accepted signatures", round(signed / sign_a.seconds), "/s")
        result.figure("confirmations", round(confirmed / confirm_a.seconds), "/s")
        result.figure("errors", sum(x.errors for x in (sign_a, confirm_a, sign_b, confirm_b)), "", ("==", 0))
        cpu_per_operation(
            result,
            "web CPU per request (sign or confirm)",
            spent(before, after, "web"),
            signed + confirmed,
            None,
        )

        # Requests wrk left in flight still commit: the rows are counted again on every poll.
        def new_rows() -> int:
            with ctx.app.app_context():
                found = db.session.execute(
                    db.select(db.func.count())
                    .select_from(seed.Signature)
                    .where(
                        seed.Signature.petition_id == petition_id, seed.Signature.email.like(f"s_{ctx.run}-%")
                    )
                ).scalar()
                db.session.remove()
                return found

        def confirmed_rows() -> int:
            with ctx.app.app_context():
                found = seed.stored(petition_id, SignatureStatus.CONFIRMED)
                db.session.remove()
                return found

        def letters_sent() -> int:
            with ctx.app.app_context():
                sent = db.session.execute(
                    db.select(db.func.count())
                    .select_from(Delivery)
                    .where(Delivery.petition_id == petition_id, Delivery.status == DeliveryStatus.SENT)
                ).scalar()
                db.session.remove()
                return sent

        def mailed() -> int:
            return sum(_mails_to(ctx, f"s{web}{ctx.run}")[0] for web in "ab")

        time.sleep(1)
        drained = _wait_for(
            lambda: mailed() >= new_rows() and letters_sent() >= 2 * confirmed_rows(), timeout=120, every=0.5
        )
        stored, confirmed_now = new_rows(), confirmed_rows()
        public = [
            _wait_for(lambda url=url: _count_at(url, slug) == confirmed_now, timeout=30)
            for url in (ctx.url(), second)
        ]
    finally:
        ctx.stack.end("web-b")
    mails = [_mails_to(ctx, f"s{web}{ctx.run}") for web in "ab"]
    letters_by_target = [ctx.stack.sink.by_recipient[f"schaal{n}-{ctx.run}@example.org"] for n in (1, 2)]
    twice = sum(1 for n in ctx.stack.sink.by_message_id.values() if n > 1)
    result.figure("stored - accepted (in flight)", stored - signed, "", ("<=", 2 * SCALE_THREADS))
    result.figure(
        "confirmed rows - confirmations (in flight)",
        confirmed_now - confirmed,
        "",
        ("<=", 2 * SCALE_THREADS),
    )
    result.figure("public count exact on both web servers", sum(public), "of 2", ("==", 2))
    result.figure("signatures without their mail", stored - sum(m[0] for m in mails), "", ("==", 0))
    result.figure("addresses mailed twice", sum(m[1] for m in mails), "", ("==", 0))
    result.figure("letters per target - confirmed", max(letters_by_target) - confirmed_now, "", ("==", 0))
    result.figure("letters missing", 2 * confirmed_now - sum(letters_by_target), "", ("==", 0))
    result.figure("Message-IDs seen twice (whole run)", twice, "", ("==", 0))
    result.figure("failed jobs", ctx.failed_jobs(), "", ("==", 0))
    if not drained:
        result.reason = "mail or letters still owed after 120 s"
    result.details.update(stored=stored, confirmed_rows=confirmed_now, letters_by_target=letters_by_target)
    return result


def _count_at(base_url: str, slug: str) -> int | None:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/petitions/{slug}/count.json", timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read())["count"]


def floor(ctx: Context) -> Result:
    """The same signing load against bench.floor (its own gunicorn, the platform's settings): a bare
    WSGI function, then a bare Flask view that stores the row and sets a Redis key. What the platform's
    sign figures cannot go below on this machine; reported, no targets."""
    result = Result("floor")
    url = ctx.stack.start_web("floor", pick_port(ctx.stack.web_port + 3), app="bench.floor:app")
    try:
        for path, label in (("/raw-sign", "bare WSGI 303"), ("/flask-sign", "bare Flask insert + Redis")):
            env = {"BENCH_FORM_PATH": "/form", "BENCH_SIGN_PATH": path, "BENCH_RUN": f"f{ctx.run}"}
            run_wrk(ctx.wrk, url, "sign.lua", threads=16, connections=16, seconds=2, env=env)  # warm up
            before = ctx.stack.cpu_snapshot()
            load = run_wrk(
                ctx.wrk,
                url,
                "sign.lua",
                threads=16,
                connections=16,
                seconds=ctx.seconds["floor"],
                env={**env, "BENCH_RUN": f"g{ctx.run}"},
            )
            result.figure(f"{label}: requests", round(load.ok_per_second), "/s")
            cpu_per_operation(
                result,
                f"{label}: CPU a request",
                spent(before, ctx.stack.cpu_snapshot(), "floor"),
                load.ok,
                None,
            )
            result.figure(f"{label}: errors", load.errors, "", ("==", 0))
            result.details[path] = load.as_dict()
    finally:
        ctx.stack.end("floor")
        with ctx.app.app_context():
            db.session.execute(db.text("DROP TABLE IF EXISTS bench_floor"))
            db.session.commit()
    return result
