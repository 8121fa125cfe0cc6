"""Every studio page a campaigner fills in, checked for what the Nu HTML checker flagged on them: no
`label for` pointing at something that is not a form control (a list of checkboxes), no duplicate ids,
no required select whose first option is a real choice. (The full checker, vnu.jar, needs Java and an
npm download; these rules run everywhere.)"""

from collections import Counter
from html.parser import HTMLParser

import pytest

from campaign.extensions import db
from campaign.models import SupporterUpdate
from tests import factories
from tests.studio_support import logged_in

LABELABLE = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()
        self.tags: dict[str, str] = {}
        self.label_for: list[str] = []
        self.required_selects: list[str] = []
        self._select = None
        self._first_option = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
            self.tags[attrs["id"]] = tag
        if tag == "label" and attrs.get("for"):
            self.label_for.append(attrs["for"])
        if tag == "select":
            self._select = attrs if "required" in attrs and "multiple" not in attrs else None
            self._first_option = True
        if tag == "option" and self._select is not None and self._first_option:
            self._first_option = False
            if attrs.get("value"):
                self.required_selects.append(self._select.get("id", "?"))


def pages(petition, draft, update):
    return [
        "/studio/",
        "/studio/petitions/new",
        f"/studio/petitions/{draft.id}/edit",
        f"/studio/petitions/{petition.id}",
        f"/studio/petitions/{petition.id}/close",
        f"/studio/petitions/{petition.id}/deliveries",
        f"/studio/petitions/{petition.id}/deliveries/handover",
        f"/studio/petitions/{petition.id}/signatures",
        f"/studio/petitions/{petition.id}/updates",
        f"/studio/petitions/{petition.id}/updates/new",
        f"/studio/updates/{update.id}",
        f"/studio/updates/{update.id}/send",
        "/studio/targets/new",
        "/studio/accounts/new",
        "/studio/privacy",
        "/studio/abuse",
        "/studio/impact/new",
        "/studio/audit",
        "/studio/password",
    ]


@pytest.fixture
def world(app):
    petition = factories.petition(slug="opmaak")
    petition.targets = [factories.target(), factories.target(name="Tweede", email="tweede@example.org")]
    draft = factories.petition(slug="opmaak-concept", status="draft")
    update = SupporterUpdate(petition_id=petition.id, subject="Nieuws", body="Tekst")
    db.session.add(update)
    db.session.commit()
    return petition, draft, update


def test_studio_forms_have_unique_ids_and_labels_for_controls_only(app, world):
    admin = logged_in(app, "admin")
    for path in pages(*world):
        response = admin.get(path)
        assert response.status_code == 200, path
        found = Collect()
        found.feed(response.get_data(as_text=True))
        duplicates = [name for name, n in found.ids.items() if n > 1]
        assert not duplicates, f"{path}: duplicate ids {duplicates}"
        wrong = [name for name in found.label_for if found.tags.get(name) not in LABELABLE]
        assert not wrong, f"{path}: label for {wrong}, which is not a form control"
        assert not found.required_selects, f"{path}: required select without an empty first option"
