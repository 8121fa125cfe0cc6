"""The directory of targets: create, edit, and import from CSV with a preview and per-row errors."""

import io

import pytest

from campaign.extensions import db
from campaign.models import Target
from tests import factories
from tests.studio_support import logged_in, post

GOOD_CSV = """naam;email;functie;organisatie;taal;regio
Minister A;minister.a@example.org;Minister;Ministerie van BZK;nl;
Committee B;committee.b@example.org;Chair;European Parliament;en;EU
"""


@pytest.fixture
def campaigner(app):
    return logged_in(app, "campaigner")


def targets() -> list[Target]:
    db.session.expire_all()
    return db.session.execute(db.select(Target).order_by(Target.name)).scalars().all()


def test_create_and_edit_a_target(app, campaigner):
    response = post(
        campaigner,
        "/studio/targets/new",
        {
            "name": "Minister Test",
            "title": "Minister",
            "organisation": "BZK",
            "email": "Minister@Example.org",
            "language": "nl",
            "region": "",
        },
    )
    assert response.status_code == 303
    [target] = targets()
    assert target.email == "Minister@example.org" and target.region is None
    response = post(
        campaigner,
        f"/studio/targets/{target.id}/edit",
        {
            "name": "Minister Test",
            "title": "Staatssecretaris",
            "organisation": "BZK",
            "email": "minister@example.org",
            "language": "en",
            "region": "NL-UT",
        },
    )
    assert response.status_code == 303
    assert targets()[0].title == "Staatssecretaris" and targets()[0].language == "en"


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"email": "geen-adres"}, 'id="email-error"'),
        ({"name": ""}, 'id="name-error"'),
        ({"language": "de"}, 'id="language-error"'),
        ({"email": "minister@example.org"}, "al een doelwit"),
        # These reach the To header and letters (issue 15, finding 6).
        ({"name": "Minister\r\nBcc: x@example.org"}, "Gebruik geen regeleinden"),
        ({"organisation": "Ministerie\tvan X"}, "Gebruik geen regeleinden"),
        ({"region": "NL\n"}, "Gebruik geen regeleinden"),
    ],
)
def test_bad_target_input_is_named(app, campaigner, fields, error):
    factories.target(email="minister@example.org")
    data = {
        "name": "X",
        "title": "",
        "organisation": "",
        "email": "x@example.org",
        "language": "nl",
        "region": "",
    }
    data.update(fields)
    response = post(campaigner, "/studio/targets/new", data)
    assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert len(targets()) == 1


def test_import_previews_then_writes_on_confirmation(app, campaigner):
    factories.target(name="Oude naam", email="minister.a@example.org")
    preview = post(
        campaigner,
        "/studio/targets/import",
        {"file": (io.BytesIO(GOOD_CSV.encode("utf-8-sig")), "doelwitten.csv")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "wordt bijgewerkt" in page and "nieuw" in page
    assert [t.name for t in targets()] == ["Oude naam"]  # nothing written by the preview

    done = post(campaigner, "/studio/targets/import", {"text": GOOD_CSV, "confirm": "1"})
    assert done.status_code == 303
    assert {(t.name, t.language, t.region) for t in targets()} == {
        ("Minister A", "nl", None),
        ("Committee B", "en", "EU"),
    }


def test_import_reports_each_bad_row_and_writes_nothing(app, campaigner):
    text = (
        "name,email,language\nGoed,goed@example.org,nl\n,leeg@example.org,nl\nFout,geen-adres,nl\n"
        "Taal,taal@example.org,fr\nDubbel,goed@example.org,nl\n"
    )
    response = post(campaigner, "/studio/targets/import", {"text": text, "confirm": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "4 rijen hebben een fout" in page
    for line in ("3", "4", "5", "6"):
        assert f"<td>{line}</td>" in page
    assert "regel 2" in page  # the duplicate points at its twin
    assert targets() == []


def test_import_refuses_line_breaks_in_names(app, campaigner):
    text = 'name,email,language\n"Minister\r\nBcc: x@example.org",minister@example.org,nl\n'
    response = post(campaigner, "/studio/targets/import", {"text": text, "confirm": "1"})
    assert response.status_code == 400
    assert "Gebruik geen regeleinden" in response.get_data(as_text=True)
    assert targets() == []


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "leeg"),
        ("wie,wat\nA,B\n", "mist de kolom"),
        ("naam,email\n", "geen rijen"),
    ],
)
def test_import_of_an_unusable_file_says_why(app, campaigner, text, message):
    response = post(campaigner, "/studio/targets/import", {"text": text})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_binary_upload_is_refused_politely(app, campaigner):
    response = post(
        campaigner,
        "/studio/targets/import",
        {"file": (io.BytesIO(b"\x81\x8d\x8f\x90\x9d"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "niet lezen" in response.get_data(as_text=True)
