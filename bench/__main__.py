"""`python -m bench` (what `make bench` runs): start the stack, run the scenarios, print one table.

python -m bench                          # everything, SQLite, about 8-10 minutes
BENCH_DATABASE_URL=postgresql:///campaign_bench python -m bench
python -m bench --only noop,sign --profile
"""

import argparse
import os
import platform
import shutil
import signal
import sys
import time
import traceback
import uuid
from pathlib import Path

from bench import capacity, load, report, scale, scenarios
from bench.stack import ROOT, Stack, ensure_wrk

OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.json"
ORDER = [
    "noop",
    "sign",
    "floor",
    "burst",
    "limits",
    "confirm",
    "read-while-signing",
    "scale-out",
    "metrics-1m",
    "deliver",
    "updates",
    "memory",
]


def default_web_workers() -> int:
    """Measured on 2 cores with wrk beside it: about 2 sync workers a core (see docs/deploy.md)."""
    return int(os.environ.get("WEB_CONCURRENCY") or max(2, 2 * (os.cpu_count() or 1)))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="comma-separated scenarios (default: all): " + ", ".join(ORDER),
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="default: a fresh SQLite file in bench/out/",
    )
    parser.add_argument("--web-workers", type=int, default=default_web_workers())
    parser.add_argument("--web-threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("BENCH_SECONDS", "20")),
        help="length of the main load phases (others are scaled from it)",
    )
    parser.add_argument("--metrics-rows", type=int, default=1_000_000)
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--update-mails", type=int, default=5_000)
    parser.add_argument("--profile", action="store_true", help="py-spy a web worker during sign")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument(
        "--serve", action="store_true", help="start and seed the stack, then wait (for profiling)"
    )
    return parser.parse_args(argv)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def database_url(args) -> str:
    if args.database_url:
        from campaign.config import _database_url

        return _database_url(args.database_url)
    for suffix in ("", "-wal", "-shm"):
        (OUT / f"bench.db{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{OUT / 'bench.db'}"


def main(argv=None) -> int:
    args = parse_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()] or ORDER
    unknown = set(wanted) - set(ORDER)
    if unknown:
        print(f"unknown scenarios: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    url = database_url(args)
    seconds = {
        "noop": max(5, args.seconds / 2),
        "sign": args.seconds,
        "confirm": args.seconds * 0.75,
        "read": max(5, args.seconds / 2),
        "metrics": max(5, args.seconds / 2.5),
        "burst": max(5, args.seconds / 2),
        "limits": max(5, args.seconds / 2),
        "floor": max(5, args.seconds / 2),
        "scale": max(10, args.seconds / 2),
    }
    stack = Stack(
        out=OUT,
        database_url=url,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        rq_workers=args.rq_workers,
    )
    setup = {
        "database": url.split("://")[0],
        "web_workers": args.web_workers,
        "web_threads": args.web_threads,
        "rq_workers": args.rq_workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "wrk": shutil.which("wrk"),
    }
    results: list[scenarios.Result] = []
    print(
        f"bench: {setup['database']}, gunicorn {args.web_workers} worker(s) x {args.web_threads} thread(s), "
        f"{args.rq_workers} RQ workers, {os.cpu_count()} CPUs; logs in {OUT}",
        flush=True,
    )
    try:
        stack.start_services()
        ctx = prepare(stack, wrk, seconds, wanted, args)
        stack.start_app()
        print(f"stack up on {stack.base_url} after {time.monotonic() - started:.0f}s", flush=True)
        if args.serve:
            print(f"web pids {stack.web_pids()}, workers {stack.worker_pids()}; Ctrl-C stops", flush=True)
            signal.pause()
        for name in wanted:
            results.append(run_one(name, ctx, args))
            dead = stack.check_alive()
            if dead:
                raise RuntimeError(f"processes died: {', '.join(dead)} (see {OUT})")
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the stack", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - report what ran, then fail
        traceback.print_exc()
        results.append(
            scenarios.Result("harness", status="failed", reason=f"{type(error).__name__}: {error}")
        )
    finally:
        load.kill_all()
        stack.stop()
    documents = [result.as_dict() for result in results]
    elapsed = time.monotonic() - started
    header = (
        f"make bench: {setup['database']}, {args.web_workers} web workers x {args.web_threads} threads, "
        f"{args.rq_workers} RQ workers, {os.cpu_count()} CPUs, wrk on the same machine; {elapsed:.0f} s"
    )
    print()
    print(report.table(documents, header))
    print()
    print("\n".join(capacity.plan(documents)))
    report.write(
        Path(args.results), {"setup": setup, "elapsed_seconds": round(elapsed, 1), "results": documents}
    )
    print(f"\nwritten: {args.results}")
    failed = any(r.status == "failed" for r in results)
    return 1 if failed else 0


def prepare(stack: Stack, wrk: str, seconds: dict, wanted: list[str], args) -> scenarios.Context:
    """Schema from the models, the bench petitions, the pending signatures the confirm scenario needs."""
    from bench import seed
    from campaign import create_app
    from campaign.extensions import db

    app = create_app(stack.app_config())
    run = uuid.uuid4().hex[:6]
    ctx = scenarios.Context(stack=stack, app=app, wrk=wrk, run=run, seconds=seconds)
    with app.app_context():
        seed.reset_schema()
        for slug in ("bench-sign", "bench-confirm", "bench-read", "bench-burst", "bench-limits"):
            seed.create_petitions(slug, 1)
        read_id = ctx.petition_id("bench-read")
        seed.bulk_insert(seed.signature_rows(read_id, 12_345, prefix=f"r0{run}", confirmed=True))
        seed.fold_everything()
        db.session.remove()
    if "confirm" in wanted:
        # Enough for 4,000 confirmations a second per phase: a thread that runs out is reported.
        per_thread = int(4000 * seconds["confirm"] / scenarios.CONFIRM_THREADS) + 100
        ctx.shared["confirm_per_thread"] = per_thread
        scenarios.prepare_confirm(ctx, per_thread)
    if "scale-out" in wanted and stack.database_url.startswith("postgresql"):
        from bench.scale import SCALE_THREADS, prepare_scale_out

        per_thread = int(1000 * seconds["scale"] / (2 * SCALE_THREADS)) + 100
        ctx.shared["scale_per_thread"] = per_thread
        prepare_scale_out(ctx, per_thread)
    with app.app_context():
        db.engine.dispose()
    return ctx


def run_one(name: str, ctx: scenarios.Context, args) -> scenarios.Result:
    started = time.monotonic()
    cpu_before = ctx.stack.cpu_snapshot()
    print(f"-- {name}", flush=True)
    try:
        if name == "metrics-1m":
            ctx.shared["metrics_seed"] = scenarios.prepare_metrics(ctx, args.metrics_rows)
            per = args.metrics_rows // scenarios.METRICS_PETITIONS
            ctx.shared["metrics_first_count"] = per + args.metrics_rows - per * scenarios.METRICS_PETITIONS
            print(f"   seeded {ctx.shared['metrics_seed']}", flush=True)
        if name == "memory" and "metrics-1m" in [r for r in ctx.shared.get("ran", [])]:
            try:
                ctx.shared["export"] = scenarios.export_csv(ctx)
            except Exception as error:  # noqa: BLE001 - reported in the memory scenario
                traceback.print_exc()
                ctx.shared["export_skip"] = f"CSV export failed: {type(error).__name__}: {error}"
        elif name == "memory":
            ctx.shared["export_skip"] = "needs metrics-1m (the 1M rows) in the same run"
        function = {
            "noop": scenarios.noop,
            "sign": scenarios.sign,
            "confirm": scenarios.confirm,
            "read-while-signing": scenarios.read_while_signing,
            "metrics-1m": scenarios.metrics_1m,
            "deliver": lambda c: scenarios.deliver(c, args.deliveries),
            "burst": scale.burst_paused,
            "limits": scale.sign_limits,
            "floor": scale.floor,
            "scale-out": scale.scale_out,
            "updates": lambda c: scenarios.updates(c, args.update_mails),
            "memory": scenarios.memory,
        }[name]
        if name == "sign" and args.profile:
            from bench.profile import profiling

            with profiling(ctx, "sign", seconds=min(10, ctx.seconds["sign"] - 2)) as found:
                result = function(ctx)
            result.details["profile"] = found
        else:
            result = function(ctx)
    except Exception as error:  # noqa: BLE001 - one scenario failing must not hide the others
        traceback.print_exc()
        result = scenarios.Result(name, status="failed", reason=f"{type(error).__name__}: {error}")
    result.details["seconds"] = round(time.monotonic() - started, 1)
    cpu_after = ctx.stack.cpu_snapshot()
    cpu = {role: round(cpu_after[role] - cpu_before.get(role, 0.0), 1) for role in cpu_after}
    cpu["others on the machine"] = round(cpu["machine"] - sum(v for k, v in cpu.items() if k != "machine"), 1)
    result.details["cpu_seconds"] = cpu
    print(
        f"   cpu seconds over {result.details['seconds']} s: "
        + ", ".join(f"{role} {value}" for role, value in cpu.items()),
        flush=True,
    )
    ctx.shared.setdefault("ran", []).append(name)
    for figure in result.figures:
        print(
            f"   {figure['metric']}: {report._value(figure)} {figure['target']} {report.verdict(figure)}",
            flush=True,
        )
    if result.status != "ran" or result.reason:
        print(f"   {result.status}: {result.reason}", flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
