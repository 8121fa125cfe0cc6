"""Issue 15, finding 10: the development mail sink answers a full disk as a real relay does (452,
try again later), not 500, which the senders took as a permanent failure and blocked targets for."""

import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from campaign.dev import redis_server as dev_redis

ROOT = Path(__file__).resolve().parent.parent
# The sink's process may write at most 200 bytes per file: every .eml hits the limit, as on a full
# disk (EFBIG instead of ENOSPC; both are the OSError the sink meets). SIGXFSZ ignored, so the write
# fails instead of killing the process.
LIMITED_SINK = (
    "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200)); "
    "from campaign.dev.mailsink import main; main()"
)


@pytest.fixture
def sink(tmp_path):
    port = dev_redis.free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",  # the limit would cut .pyc files short
        "MAIL_PORT": str(port),
        "MAIL_SINK_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", LIMITED_SINK], cwd=ROOT, env=env, stdout=subprocess.PIPE
    )
    assert b"mail sink on" in process.stdout.readline()  # listening
    yield port, tmp_path
    process.terminate()
    process.wait(timeout=10)


def test_a_full_disk_is_a_temporary_452(sink):
    port, directory = sink
    small = b"Subject: kort\r\n\r\nkort\r\n"
    big = b"Subject: lang\r\n\r\n" + b"xxxxxxxxxx\r\n" * 100
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as server:
        server.sendmail("a@example.org", ["b@example.org"], small)  # fits
        with pytest.raises(smtplib.SMTPDataError) as refused:
            server.sendmail("a@example.org", ["b@example.org"], big)
        assert refused.value.smtp_code == 452
        server.sendmail("a@example.org", ["b@example.org"], small)  # the session goes on
    assert len(list(directory.glob("*.eml"))) == 2
    assert list(directory.glob("*.tmp")) == []  # no half-written file left behind
