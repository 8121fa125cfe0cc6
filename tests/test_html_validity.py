"""The Nu HTML checker (npm vnu-jar, run with Java) finds no error on the public pages.

CI installs it (.ci/run sets VNU_JAR); elsewhere point VNU_JAR at vnu.jar to run this test."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from campaign.extensions import db
from campaign.seeding import seed_demo

VNU_JAR = os.environ.get("VNU_JAR") or str(
    Path(__file__).resolve().parent.parent / ".ci/node_modules/vnu-jar/build/dist/vnu.jar"
)
PAGES = [
    "/",
    "/themes/vluchtelingen-en-migratie",
    "/petitions/stop-gezichtsherkenning",
    "/petitions/stop-gezichtsherkenning?lang=en",
    "/petitions/eerlijke-asielprocedure?lang=ar",
    "/petitions/eerlijke-asielprocedure?lang=uk",
    "/petitions/stop-gezichtsherkenning/check-email",
    "/petitions/stop-gezichtsherkenning/thanks",
    "/metrics",
    "/impact",
    "/privacy",
]


@pytest.mark.skipif(not (Path(VNU_JAR).exists() and shutil.which("java")), reason="Nu checker not installed")
def test_public_pages_are_valid_html(app, client, tmp_path):
    seed_demo()
    db.session.commit()
    files = []
    for number, path in enumerate(PAGES):
        response = client.get(path)
        assert response.status_code == 200, path
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.data)
        files.append(str(file))
    run = subprocess.run(
        ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{PAGES[files.index(m['url'].removeprefix('file:'))]}: {m['message']} ({m.get('extract', '')!r})"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
