"""The whole platform on loopback, as production runs it: gunicorn, RQ workers, the cron, Redis, an SMTP sink.

Every process runs in its own process group; `Stack.stop()` ends each group (TERM, then KILL), and
`__main__` makes sure it runs on errors and Ctrl-C too.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

from campaign.dev.redis_server import redis_binary, wait_until_listening

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent


class CountingSink:
    """aiosmtpd handler that only counts (an SMTP relay's cost without the disk): messages, each
    recipient's messages and each Message-ID's, so a scenario can tell that every mail went once."""

    def __init__(self):
        self.messages = 0
        self.recipients = 0
        self.by_recipient: Counter = Counter()
        self.by_message_id: Counter = Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message_id = _message_id(envelope.content)
        with self._lock:
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
            self.by_recipient.update(envelope.rcpt_tos)
            if message_id:
                self.by_message_id[message_id] += 1
        return "250 OK"


def _message_id(content: bytes) -> bytes | None:
    head = content[: content.find(b"\r\n\r\n")]
    start = head.lower().find(b"\nmessage-id:")
    if start < 0:
        return None
    end = head.find(b"\r\n", start + 1)
    return head[start + 12 : end if end > 0 else None].strip()


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def pick_port(preferred: int, span: int = 100) -> int:
    """The preferred port, or the next free one within its hundred (58xx, 68xx, 88xx)."""
    base = preferred - preferred % span
    for port in [preferred, *range(base, base + span)]:
        if port_free(port):
            return port
    raise RuntimeError(f"no free port in {base}..{base + span - 1}")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, in kB; empty once it is gone."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])
    except OSError:
        pass
    return values


TICK = os.sysconf("SC_CLK_TCK")


def _role(name: str) -> str:
    return next((role for role in ("worker", "web") if name.startswith(role)), name)


def cpu_by_group() -> dict[int, float]:
    """CPU seconds (user + system) of every process, summed per process group."""
    groups: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        groups[int(fields[2])] = groups.get(int(fields[2]), 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return groups


def machine_busy_seconds() -> float:
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


class Stack:
    def __init__(
        self,
        *,
        out: Path,
        database_url: str,
        web_workers: int,
        web_threads: int,
        rq_workers: int,
        web_port: int = 5800,
        redis_port: int = 6800,
        smtp_port: int = 8800,
        extra_env=None,
    ):
        self.out = out
        self.database_url = database_url
        self.web_workers = web_workers
        self.web_threads = web_threads
        self.rq_workers = rq_workers
        self.web_port = pick_port(web_port)
        self.redis_port = pick_port(redis_port)
        self.smtp_port = pick_port(smtp_port)
        self.extra_env = extra_env or {}
        self.processes: dict[str, subprocess.Popen] = {}
        # CPU of the groups a scenario ended, by role: once reaped it would count as the harness's children
        self.retired: dict[str, float] = {}
        self.sink = CountingSink()
        self._smtp = None
        self._logs = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "WEB_"))}
        env.update(
            {
                "PATH": f"{BIN}:{env.get('PATH', '')}",
                "ENV_NAME": "production",
                "SECRET_KEY": "bench-secret-key-not-for-production",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(self.smtp_port),
                "PUBLIC_URL": self.base_url,
                "RATELIMIT_ENABLED": "false",
                "PORT": str(self.web_port),
                "BIND": "127.0.0.1",
                "WEB_CONCURRENCY": str(self.web_workers),
                "WEB_THREADS": str(self.web_threads),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def app_config(self) -> dict:
        """The same settings, for the app the harness builds in-process (schema, seeding, checks)."""
        return {
            "ENV_NAME": "production",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "REDIS_URL": self.redis_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.smtp_port,
            "PUBLIC_URL": self.base_url,
            "RATELIMIT_ENABLED": False,
        }

    def _spawn(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        log = open(self.out / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )  # its own process group, ended as one
        self.processes[name] = process
        return process

    def start_services(self) -> None:
        """Redis and the SMTP sink: what the app needs before its schema and seed data."""
        self.out.mkdir(parents=True, exist_ok=True)
        redis_dir = self.out / "redis"
        redis_dir.mkdir(exist_ok=True)
        process = self._spawn(
            "redis",
            [
                redis_binary(),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(redis_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
        )
        wait_until_listening(self.redis_port, process)
        self._smtp = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port, decode_data=False)
        self._smtp.start()

    def start_app(self) -> None:
        """gunicorn as the Procfile runs it, the RQ workers and the cron."""
        self._spawn("web", [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"])
        for n in range(self.rq_workers):
            self._spawn(f"worker{n + 1}", [PYTHON, "-m", "workers"])
        self._spawn("cron", [PYTHON, "-m", "workers.cron"])
        self.wait_for_web()

    def start_web(self, name: str, port: int, app: str = "wsgi:app", **env: str) -> str:
        """Another gunicorn (a second machine, other settings, or bench.floor) on `port`; returns its
        base URL."""
        self._spawn(name, [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", app], PORT=str(port), **env)
        self.wait_for_web(name, f"http://127.0.0.1:{port}")
        return f"http://127.0.0.1:{port}"

    def start_worker(self, name: str) -> None:
        self._spawn(name, [PYTHON, "-m", "workers"])

    def end(self, name: str) -> None:
        """Stop one process group the scenario started (and forget it, keeping its CPU for its role)."""
        process = self.processes.pop(name)
        role = _role(name)
        self.retired[role] = self.retired.get(role, 0.0) + cpu_by_group().get(process.pid, 0.0)
        _end_group(process, name)

    def pause_workers(self, pause: bool = True) -> None:
        """SIGSTOP / SIGCONT every RQ worker's process group: workers running on other machines."""
        for name, process in self.processes.items():
            if name.startswith("worker"):
                os.killpg(process.pid, signal.SIGSTOP if pause else signal.SIGCONT)

    def wait_for_web(self, name: str = "web", base_url: str | None = None, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        base_url = base_url or self.base_url
        while time.monotonic() < deadline:
            web = self.processes[name]
            if web.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {web.returncode}; see {self.out / f'{name}.log'}")
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200 and len(self.web_pids(name)) >= self.web_workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the web server did not come up; see {self.out / f'{name}.log'}")

    def web_pids(self, name: str = "web") -> list[int]:
        web = self.processes.get(name)
        return children_of(web.pid) if web else []

    def worker_pids(self) -> list[int]:
        return [p.pid for name, p in self.processes.items() if name.startswith("worker")]

    def cpu_snapshot(self) -> dict[str, float]:
        """CPU seconds so far per role, the harness itself (SMTP sink, wrk, py-spy) and the whole machine."""
        import resource

        groups = cpu_by_group()
        roles: dict[str, float] = dict(self.retired)
        for name, process in self.processes.items():
            role = _role(name)
            roles[role] = roles.get(role, 0.0) + groups.get(process.pid, 0.0)
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        roles["harness+sink"] = me.ru_utime + me.ru_stime
        roles["wrk"] = children.ru_utime + children.ru_stime - sum(self.retired.values())
        roles["machine"] = machine_busy_seconds()
        return roles

    def check_alive(self) -> list[str]:
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            _end_group(process, name)
        self.processes.clear()
        if self._smtp is not None:
            self._smtp.stop()
            self._smtp = None
        for log in self._logs:
            log.close()
        self._logs.clear()


def _end_group(process: subprocess.Popen, name: str, grace: float = 10.0) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:  # whatever the leader left behind in its group (gunicorn workers, RQ's scheduler)
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=5)


def ensure_wrk() -> str:
    """wrk from PATH, else from the distribution (we run as root on a fresh machine)."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk is missing: installing it with apt-get", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and could not be installed (apt-get install wrk, as root)")
    return found
