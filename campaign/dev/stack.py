"""`make run`: every process of the platform on embedded defaults, under one supervisor.

Adds to the Procfile's processes what production gets from elsewhere: a Redis (unless REDIS_URL is
set) and the local SMTP sink (unless MAIL_SERVER is set). A process that dies is started again
(campaign.dev.supervisor); Ctrl-C stops them all.
"""

import os
import sys
from pathlib import Path

from campaign.config import INSTANCE_DIR
from campaign.dev.supervisor import Supervisor

ROOT = INSTANCE_DIR.parent
EMBEDDED_REDIS_PORT = 6379


def procfile_processes(path: Path) -> dict[str, str]:
    processes = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and ":" in line:
            name, command = line.split(":", 1)
            processes[name.strip()] = command.strip()
    return processes


def main() -> int:
    env = dict(os.environ)
    env.setdefault("PORT", "5000")
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    INSTANCE_DIR.mkdir(exist_ok=True)
    manager = Supervisor()
    if "REDIS_URL" not in env:
        port = int(env.get("EMBEDDED_REDIS_PORT", EMBEDDED_REDIS_PORT))
        env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        redis_dir = env.get("EMBEDDED_REDIS_DIR", str(INSTANCE_DIR / "redis"))
        manager.add(
            "redis",
            f"{sys.executable} -m campaign.dev.redis_server {port} {redis_dir}",
            env=env,
            cwd=str(ROOT),
        )
    if "MAIL_SERVER" not in env:
        env.setdefault("MAIL_SMTPUTF8", "true")  # the sink offers it
        manager.add("mail", f"{sys.executable} -m campaign.dev.mailsink", env=env, cwd=str(ROOT))
    for name, command in procfile_processes(ROOT / "Procfile").items():
        manager.add(name, command, env=env, cwd=str(ROOT))
    print(
        f"Serving on http://127.0.0.1:{env['PORT']} (mail in {env.get('MAIL_SINK_DIR', INSTANCE_DIR / 'mail')});"
        " Ctrl-C stops everything.",
        flush=True,
    )
    return manager.run()


if __name__ == "__main__":
    sys.exit(main())
