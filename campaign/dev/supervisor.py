"""A small process supervisor for `make run`: every process in its own process group, its output
prefixed with its name, and a process that exits is started again (after 1 s, doubling to 30 s while
it keeps failing) instead of taking the others down. SIGINT or SIGTERM stops them all.

(honcho, used before, stops every process when one exits: one Redis restart ended the whole stack.)
"""

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL at shutdown
MAX_BACKOFF = 30.0
HEALTHY_AFTER = 60.0  # a process that ran this long starts again after the shortest pause


@dataclass
class Child:
    name: str
    command: str
    env: dict
    cwd: str
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = 1.0
    restart_at: float | None = None
    restarts: int = 0
    reader: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    def __init__(self, out=sys.stdout):
        self.children: list[Child] = []
        self.out = out
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def add(self, name: str, command: str, env: dict, cwd: str) -> None:
        self.children.append(Child(name, command, env, cwd))

    def say(self, name: str, text: str) -> None:
        width = max(len(child.name) for child in self.children)
        with self.lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {name.ljust(width)} | {text}\n")
            self.out.flush()

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - our own Procfile's commands
            shlex.split(child.command),
            env=child.env,
            cwd=child.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopping it stops what it started
            text=True,
            errors="replace",
        )
        child.started_at, child.restart_at = time.monotonic(), None
        self.say(child.name, f"started (pid {child.process.pid})")
        child.reader = threading.Thread(target=self._copy_output, args=(child, child.process), daemon=True)
        child.reader.start()

    def _copy_output(self, child: Child, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.say(child.name, line.rstrip("\n"))

    def run(self) -> int:
        """Start everything, keep it running until SIGINT or SIGTERM, then stop everything."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        for child in self.children:
            self.start(child)
        while not self.stopping.wait(0.2):
            now = time.monotonic()
            for child in self.children:
                self._look_after(child, now)
        self.stop_all()
        return 0

    def _look_after(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                self.start(child)
            return
        code = child.process.poll()
        if code is None:
            return
        if now - child.started_at > HEALTHY_AFTER:
            child.backoff = 1.0
        child.restart_at = now + child.backoff
        self.say(child.name, f"exited with code {code}; starting it again in {child.backoff:.0f} s")
        child.backoff = min(child.backoff * 2, MAX_BACKOFF)

    def stop_all(self) -> None:
        running = [child for child in self.children if child.process and child.process.poll() is None]
        for child in running:
            self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(child.name, "did not stop in time; killing it")
                self._signal(child, signal.SIGKILL)
                child.process.wait()
            self.say(child.name, "stopped")

    @staticmethod
    def _signal(child: Child, signum: int) -> None:
        try:
            os.killpg(child.process.pid, signum)
        except ProcessLookupError:
            pass
