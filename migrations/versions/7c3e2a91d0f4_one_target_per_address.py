"""one target per address: targets.email_key, lower-cased and unique

Revision ID: 7c3e2a91d0f4
Revises: 5a1d0c7e2b90
Create Date: 2026-12-02 03:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c3e2a91d0f4"
down_revision = "5a1d0c7e2b90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("email_key", sa.String(length=320), nullable=True))
    op.execute("UPDATE targets SET email_key = lower(email)")
    with op.batch_alter_table("targets") as batch:
        batch.alter_column("email_key", existing_type=sa.String(length=320), nullable=False)
        batch.create_unique_constraint(op.f("uq_targets_email_key"), ["email_key"])


def downgrade():
    with op.batch_alter_table("targets") as batch:
        batch.drop_constraint(op.f("uq_targets_email_key"), type_="unique")
        batch.drop_column("email_key")
