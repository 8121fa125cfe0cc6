"""recent tallies: confirmed signatures per petition and minute, for "signed in the last hour"

Revision ID: c4d8e2f6a1b3
Revises: 7c3e2a91d0f4
Create Date: 2026-12-02 06:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c4d8e2f6a1b3"
down_revision = "7c3e2a91d0f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recent_tallies",
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("minute", sa.DateTime(), nullable=False),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_recent_tallies_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("petition_id", "minute", name=op.f("pk_recent_tallies")),
    )


def downgrade():
    op.drop_table("recent_tallies")
