"""petition translations: a petition's supporter-facing text per language

Revision ID: b7e1c2d3a4f5
Revises: ee752ddc18c3
Create Date: 2026-12-02 03:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7e1c2d3a4f5"
down_revision = "ee752ddc18c3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "petition_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("share_text", sa.String(length=280), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_translations_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_translations")),
        sa.UniqueConstraint(
            "petition_id", "language", name=op.f("uq_petition_translations_petition_id_language")
        ),
    )
    with op.batch_alter_table("petition_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_petition_translations_petition_id"), ["petition_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("petition_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_translations_petition_id"))
    op.drop_table("petition_translations")
