"""media: a hero image per petition

Revision ID: d9a7f3b2c5e1
Revises: c4d8e2f6a1b3
Create Date: 2026-12-02 06:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d9a7f3b2c5e1"
down_revision = "c4d8e2f6a1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "petition_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=False),
        sa.Column("focus_x", sa.Integer(), nullable=False),
        sa.Column("focus_y", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sizes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_images_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_images")),
        sa.UniqueConstraint("petition_id", name=op.f("uq_petition_images_petition_id")),
    )


def downgrade():
    op.drop_table("petition_images")
