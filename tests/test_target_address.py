"""One target per address, kept by the database (not only by the look-up before an insert)."""

import pytest
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.models import Target
from campaign.targets import find_by_email
from tests import factories


def test_a_second_target_with_the_same_address_is_refused_by_the_database(app):
    factories.target(email="Minister@Example.org")
    db.session.add(Target(name="Dubbel", email="minister@example.ORG"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(Target)).scalar() == 1


def test_a_changed_address_moves_its_key_along(app):
    target = factories.target(email="oud@example.org")
    target.email = "Nieuw@Example.org"
    db.session.commit()
    assert find_by_email("nieuw@example.org").id == target.id
    assert find_by_email("oud@example.org") is None
    factories.target(name="Opvolger", email="oud@example.org")  # the old address is free again
