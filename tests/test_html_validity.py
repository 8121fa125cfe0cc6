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
    errors = _nu_errors(files, PAGES)
    assert not errors, "\n".join(errors)


def _nu_errors(files: list[str], names: list[str]) -> list[str]:
    run = subprocess.run(
        ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    return [
        f"{names[files.index(m['url'].removeprefix('file:'))]}: {m['message']} ({m.get('extract', '')!r})"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.mark.skipif(not (Path(VNU_JAR).exists() and shutil.which("java")), reason="Nu checker not installed")
def test_the_sign_path_is_valid_html_in_its_other_states(app, client, tmp_path):
    """Under proof of work (the widget and the no-JavaScript field), and the check-email page as the
    signer sees it (the address, the resend form, the note for a signature held back)."""
    from campaign.abuse.controls import forget_snapshot, set_switch
    from tests import factories
    from tests.helpers import sign

    petition = factories.petition(slug="onder-vuur")
    set_switch(petition.id, proof_of_work=True, actor=None)
    db.session.commit()
    forget_snapshot()
    sign(client, petition.slug, no_script="1")
    names, files = [], []
    for path in (f"/petitions/{petition.slug}", f"/petitions/{petition.slug}/check-email"):
        html = client.get(path).get_data(as_text=True)
        assert "no_script" in html or "anna@example.nl" in html
        file = tmp_path / f"state-{len(files)}.html"
        file.write_text(html)
        names.append(path)
        files.append(str(file))
    errors = _nu_errors(files, names)
    assert not errors, "\n".join(errors)
