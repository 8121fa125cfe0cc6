"""`python -m campaign.dev.stack` (what `make run` starts) in a temporary directory, for the fault tests:
its own ports, SQLite file, mail folder and embedded Redis, and a browser-like HTTP client."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from campaign.dev.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def wait_until(condition, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Stack:
    def __init__(self, directory: Path):
        self.dir = directory
        self.port = free_port()
        self.database = directory / "campaign.db"
        self.mail_dir = directory / "mail"
        self.log_path = directory / "stack.log"
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "PUBLIC_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "EMBEDDED_REDIS_PORT": str(free_port()),
            "EMBEDDED_REDIS_DIR": str(directory / "redis"),
            "MAIL_PORT": str(free_port()),
            "MAIL_SINK_DIR": str(self.mail_dir),
            "SECRET_KEY": "stack-test-secret",
            "ENV_NAME": "development",
            "WEB_CONCURRENCY": "2",
            "RELAY_INTERVAL": "2",  # the cron's outbox relay: mail owed during an outage leaves soon after
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("REDIS_URL", "MAIL_SERVER", "TEST_DATABASE_URL"):
            self.env.pop(name, None)
        self.process = None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def start(self) -> None:
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "campaign.dev.stack"],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._healthy, 60, "the stack to answer /healthz")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pids(self, name: str) -> list[int]:
        """Every pid the supervisor started `name` with, oldest first."""
        return [int(pid) for pid in re.findall(rf"^\S+ {name}\s+\| started \(pid (\d+)\)", self.log, re.M)]

    def _healthy(self) -> bool:
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign(self, slug: str, email: str) -> int:
        status, page = self.get(f"/petitions/{slug}")
        assert status == 200, page[:500]
        match = CSRF.search(page)
        fields = {
            "csrf_token": match.group(1) or match.group(2),
            "name": "Anna de Vries",
            "email": email,
            "postcode": "3511 AB",
            "country": "NL",
            "consent": "y",
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/petitions/{slug}/sign",
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def mail_to(self, address: str) -> list[Path]:
        if not self.mail_dir.exists():
            return []
        return [
            path
            for path in self.mail_dir.glob("*.eml")
            if f"To: {address}" in path.read_text(errors="replace")
        ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
