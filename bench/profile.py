"""py-spy on one web worker while a scenario runs: where the time of a request goes."""

import shutil
import subprocess
from collections import Counter
from contextlib import contextmanager

from bench.stack import ROOT


@contextmanager
def profiling(ctx, label: str, seconds: float = 10):
    """Record `seconds` of the busiest-to-be web worker; yields a dict filled with the top frames."""
    found: dict = {}
    spy = shutil.which("py-spy") or str(ROOT / ".venv" / "bin" / "py-spy")
    pids = ctx.stack.web_pids()
    if not pids or not shutil.which(spy):
        found["skipped"] = "py-spy not installed (pip install -e '.[bench]')"
        yield found
        return
    out = ctx.stack.out / f"profile-{label}.txt"
    process = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pids[0]),
            "--duration",
            str(int(seconds)),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield found
    finally:
        try:
            process.wait(timeout=seconds + 30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if out.exists():
            found.update(summarise(out.read_text()))
            found["file"] = str(out)


def summarise(raw: str, top: int = 25) -> dict:
    """Collapsed stacks -> share of samples per function, inclusive, for our code and the libraries."""
    inclusive, self_time, total = Counter(), Counter(), 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [
            frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0].rsplit("/", 2)[-1]
            for frame in stack.split(";")
        ]
        for frame in set(frames):
            inclusive[frame] += n
        if frames:
            self_time[frames[-1]] += n
    share = lambda counter: [(name, round(100 * n / total, 1)) for name, n in counter.most_common(top)]  # noqa: E731
    return {"samples": total, "inclusive_pct": share(inclusive), "self_pct": share(self_time)}
