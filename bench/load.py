"""Driving the server with wrk (C, epoll, Lua scripts): the load generator costs little CPU."""

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
RUNNING: set[subprocess.Popen] = set()  # ended by kill_all() if the harness is interrupted


@dataclass
class Load:
    """One wrk run's outcome: requests, answers as expected (`ok`), errors and latency (ms)."""

    seconds: float
    requests: int
    ok: int
    bad: int
    socket_errors: int
    exhausted: int = 0
    latency_ms: dict = field(default_factory=dict)
    bad_statuses: str = ""

    @property
    def ok_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.bad + self.socket_errors

    def as_dict(self) -> dict:
        return {
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "ok": self.ok,
            "ok_per_second": round(self.ok_per_second, 1),
            "errors": self.errors,
            "bad_answers": self.bad,
            "socket_errors": self.socket_errors,
            "exhausted": self.exhausted,
            "bad_statuses": self.bad_statuses.strip()[:200],
            "latency_ms": self.latency_ms,
        }


def start_wrk(
    wrk: str,
    url: str,
    script: str,
    *,
    threads: int,
    connections: int,
    seconds: float,
    env: dict[str, str] | None = None,
    timeout_s: int = 5,
) -> subprocess.Popen:
    args = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(LUA / script),
        url,
    ]
    full_env = {"BENCH_LUA_DIR": str(LUA), "PATH": "/usr/bin:/bin", **(env or {})}
    process = subprocess.Popen(
        args, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    RUNNING.add(process)
    return process


def kill_all() -> None:
    for process in list(RUNNING):
        if process.poll() is None:
            process.kill()
            process.wait()
        RUNNING.discard(process)


def finish_wrk(process: subprocess.Popen, timeout: float = 120) -> Load:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    RUNNING.discard(process)
    line = next((line for line in out.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (exit {process.returncode}): {err.strip()[-500:]}")
    data = json.loads(line[len("BENCH_JSON ") :])
    socket_errors = sum(data["errors"][key] for key in ("connect", "read", "write", "timeout"))
    latency = {key: round(value / 1000, 2) for key, value in data["latency_us"].items()}
    return Load(
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        ok=data["ok"],
        bad=data["bad"],
        socket_errors=socket_errors,
        exhausted=data["exhausted"],
        latency_ms=latency,
        bad_statuses=data["bad_statuses"],
    )


def run_wrk(wrk: str, url: str, script: str, **kwargs) -> Load:
    return finish_wrk(start_wrk(wrk, url, script, **kwargs))
