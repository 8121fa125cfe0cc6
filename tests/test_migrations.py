"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL alike."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from campaign.extensions import db


def test_migrated_schema_matches_the_models(app):
    # The session's schema came from `flask db upgrade` (tests/conftest.py _schema).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models changed without a migration: flask --app wsgi db migrate -m '...'"
