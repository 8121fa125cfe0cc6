"""CPU per request inside one process, without gunicorn or wrk: `python -m bench.inprocess`.

On a machine shared with others, throughput is noise; the CPU a request costs the app is not (much).
This builds the app against a throwaway database and a real redis-server, warms it up, then times N
requests of each kind with `time.thread_time()`. `--profile sign` writes a cProfile of that kind.

python -m bench.inprocess                      # SQLite, every kind
python -m bench.inprocess --database-url postgresql:///campaign_bench --only sign,confirm
python -m bench.inprocess --only sign --profile sign
"""

import argparse
import cProfile
import pstats
import re
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from campaign.dev import redis_server

KINDS = ["sign", "confirm", "page", "count", "ping", "mail", "letter"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default=",".join(KINDS))
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--profile", default="", help="one kind to profile with cProfile")
    parser.add_argument("--sql", action="store_true", help="list each kind's SQL statements")
    parser.add_argument("--rate-limits", action="store_true", help="leave rate limiting on")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.only.split(",") if k.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-inproc-") as tmp:
        port = redis_server.free_port()
        redis = redis_server.start(port, Path(tmp) / "redis", quiet=True)
        try:
            return run(args, kinds, Path(tmp), port)
        finally:
            redis.terminate()
            redis.wait()


def run(args, kinds, tmp: Path, port: int) -> int:
    from aiosmtpd.controller import Controller

    from bench import seed
    from bench.stack import CountingSink
    from campaign import create_app
    from campaign.extensions import db
    from workers.supporter_mail import send_owed

    sink_port = redis_server.free_port()
    sink = Controller(CountingSink(), hostname="127.0.0.1", port=sink_port)
    sink.start()
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    if args.database_url:
        from campaign.config import _database_url

        url = _database_url(url)
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": url,
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": sink_port,
            "PUBLIC_URL": "http://127.0.0.1:5000",
            "RATELIMIT_ENABLED": args.rate_limits,
            "PROXY_COUNT": 1,  # each sign request from its own address, as in production
        }
    )
    with app.app_context():
        seed.reset_schema()
        seed.create_petitions("inproc", 1)
        petition_id = db.session.execute(db.select(seed.Petition.id)).scalar_one()
        seed.bulk_insert(seed.signature_rows(petition_id, args.n + 200, prefix="pending", confirmed=False))
        seed.bulk_insert(seed.signature_rows(petition_id, 500, prefix="done", confirmed=True))
        seed.bulk_insert(seed.signature_rows(petition_id, args.n + 200, prefix="owed", confirmed=False))
        seed.fold_everything()
        db.session.remove()
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda c, cur, sql, *a: statements.append(sql))
    client = app.test_client()
    page = client.get("/petitions/inproc")
    assert page.status_code == 200, (page.status_code, page.data[:500])
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data).group(1).decode()
    counter = iter(range(10**9))
    domain = "gmail.com" if args.rate_limits else "example.org"  # a big provider: no domain limit

    def sign():
        n = next(counter)
        answer = client.post(
            "/petitions/inproc/sign",
            data={
                "csrf_token": token,
                "name": "Bench Ondertekenaar",
                "email": f"inproc-{n}@{domain}",
                "postcode": "3511 AB",
                "country": "NL",
                "consent": "y",
            },
            headers={"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"},
        )
        assert answer.status_code == 303, answer.status_code

    confirmed = iter(range(1, 10**9))

    def confirm():
        answer = client.post(f"/signatures/confirm/pending-{next(confirmed)}", data={"csrf_token": token})
        assert answer.status_code == 303, (answer.status_code, answer.data[:300])

    def page():
        assert client.get("/petitions/inproc").status_code == 200

    def count():
        assert client.get("/petitions/inproc/count.json").status_code == 200

    def ping():
        assert client.get("/healthz/ping").status_code == 200

    def mail_round(n: int) -> float:
        """CPU of the worker's batch job sending n confirmation mails to an SMTP sink in this process
        (the thread's own CPU: the sink runs in another thread); nothing else is owed meanwhile."""
        table = seed.Signature.__table__
        with app.app_context():
            db.session.execute(table.update().where(table.c.mail_due.is_not(None)).values(mail_due=None))
            db.session.execute(
                table.update()
                .where(table.c.token.in_([f"owed-{i}" for i in range(1, n + 1)]))
                .values(mail_due="confirm", mail_due_at=seed.utcnow() - timedelta(seconds=1))
            )
            db.session.commit()
            started, sent = time.thread_time(), 0
            while sent < n:  # a run stops after RUN_SECONDS (and would queue its continuation)
                done = send_owed().get("sent", 0)
                if not done:
                    break
                sent += done
            spent = time.thread_time() - started
            db.session.remove()
        assert sent == n, (sent, n)
        return spent / n

    if "mail" in kinds:
        kinds = [kind for kind in kinds if kind != "mail"]
        mail_round(50)  # warm
        best = min(mail_round(min(200, args.n)) for _ in range(3))
        if args.profile == "mail":
            profiler = cProfile.Profile(time.thread_time)
            profiler.enable()
            mail_round(min(200, args.n))
            profiler.disable()
            profiler.dump_stats(tmp.parent / "inprocess-mail.prof")
        print(f"mail     {1000 * best:7.3f} ms CPU a confirmation mail (best of 3 batches)")

    if "letter" in kinds:
        kinds = [kind for kind in kinds if kind != "letter"]
        letters = letter_rounds(app, min(200, args.n), args.profile == "letter", tmp)
        print(f"letter   {1000 * letters:7.3f} ms CPU a letter to a target (best of 3 batches)")

    functions = {"sign": sign, "confirm": confirm, "page": page, "count": count, "ping": ping}
    for kind in kinds:  # warm: templates compiled, statements cached
        for _ in range(min(50, args.n // 10)):
            functions[kind]()
    # Rounds, kinds interleaved, the best round per kind: others' load on a shared machine only
    # ever adds CPU time (cache misses, frequency), so the minimum is the least disturbed figure.
    rounds, best = 5, {}
    per_round = max(1, args.n // rounds)
    for _ in range(rounds):
        for kind in kinds:
            function = functions[kind]
            profiler = cProfile.Profile(time.thread_time) if args.profile == kind else None
            started = time.thread_time()
            if profiler:
                profiler.enable()
            for _ in range(per_round):
                function()
            if profiler:
                profiler.disable()
                profiler.dump_stats(tmp.parent / f"inprocess-{kind}.prof")
            spent = (time.thread_time() - started) / per_round
            best[kind] = min(best.get(kind, spent), spent)
    for kind in kinds:
        # Python function calls a request: not CPU, but it does not move with the neighbours' load.
        statements.clear()
        counting = cProfile.Profile()
        counting.enable()
        for _ in range(100):
            functions[kind]()
        counting.disable()
        calls = pstats.Stats(counting).total_calls / 100
        print(
            f"{kind:8} {1000 * best[kind]:7.3f} ms CPU a request (best of {rounds} x {per_round}),"
            f" {calls:6.0f} function calls, {len(statements) / 100:4.1f} SQL statements"
        )
        if args.sql:
            for statement, n in Counter(statements).most_common(12):
                print(f"    {n / 100:4.1f} x {' '.join(statement.split())[:150]}")
    sink.stop()
    return 0


def letter_rounds(app, n: int, profile: bool, tmp: Path) -> float:
    """CPU of the sender job (workers.deliveries.send_due) per letter, n letters a batch to two
    targets, each letter with the supporter's own message; best of 3 after a warm-up batch."""
    from bench import seed
    from campaign.extensions import db
    from campaign.models import Delivery, DeliverySettings, Target
    from workers.deliveries import send_due

    with app.app_context():
        petition = seed.create_petitions("inproc-letters", 1)[0]
        petition.targets = [Target(name=f"Ontvanger {i}", email=f"ontvanger{i}@example.org") for i in (1, 2)]
        db.session.add(DeliverySettings(petition=petition, letters=True, letters_per_hour=10_000_000))
        db.session.commit()
        rows = list(seed.signature_rows(petition.id, 5 * n, prefix="letters", confirmed=True))
        for i, row in enumerate(rows):
            row["message"] = f"Dit raakt mij persoonlijk, nummer {i}. Doe er alstublieft iets aan."
        seed.bulk_insert(iter(rows))
        ids = db.session.execute(
            db.select(seed.Signature.id).where(seed.Signature.petition_id == petition.id)
        )
        signature_ids, target_ids = ids.scalars().all(), [t.id for t in petition.targets]
        petition_id = petition.id
        db.session.remove()
    spent = []
    for batch in range(4):
        with app.app_context():
            now = seed.utcnow()
            chosen = signature_ids[batch * n // 2 : (batch + 1) * n // 2]
            db.session.execute(
                Delivery.__table__.insert(), seed.letter_rows(petition_id, chosen, target_ids, now)
            )
            db.session.commit()
            profiler = cProfile.Profile(time.thread_time) if profile and batch == 3 else None
            started, sent = time.thread_time(), 0
            if profiler:
                profiler.enable()
            while sent < 2 * len(chosen):
                done = send_due().get("sent", 0)
                if not done:
                    break
                sent += done
            if profiler:
                profiler.disable()
                profiler.dump_stats(tmp.parent / "inprocess-letter.prof")
            spent.append((time.thread_time() - started) / max(sent, 1))
            db.session.remove()
        assert sent == 2 * len(chosen), (sent, 2 * len(chosen))
    return min(spent[1:])


if __name__ == "__main__":
    raise SystemExit(main())
