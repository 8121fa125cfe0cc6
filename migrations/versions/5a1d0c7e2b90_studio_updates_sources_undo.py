"""studio: signature sources, an undo window for hand-overs, updates to supporters

Revision ID: 5a1d0c7e2b90
Revises: b7e1c2d3a4f5
Create Date: 2026-12-02 03:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5a1d0c7e2b90"
down_revision = "b7e1c2d3a4f5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures") as batch:
        batch.add_column(sa.Column("source", sa.String(length=64), server_default="", nullable=False))
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("undo_until", sa.DateTime(), nullable=True))
    op.create_table(
        "supporter_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["accounts.id"],
            name=op.f("fk_supporter_updates_created_by_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_supporter_updates_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporter_updates")),
    )
    op.create_index(
        op.f("ix_supporter_updates_petition_id"), "supporter_updates", ["petition_id"], unique=False
    )
    op.create_table(
        "update_mails",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["signature_id"],
            ["signatures.id"],
            name=op.f("fk_update_mails_signature_id_signatures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["supporter_updates.id"],
            name=op.f("fk_update_mails_update_id_supporter_updates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_mails")),
        sa.UniqueConstraint("update_id", "signature_id", name="uq_update_mails_update_signature"),
    )
    op.create_index("ix_update_mails_status_due", "update_mails", ["status", "due_at"], unique=False)
    op.create_index("ix_update_mails_update_status", "update_mails", ["update_id", "status"], unique=False)
    op.create_index(op.f("ix_update_mails_signature_id"), "update_mails", ["signature_id"], unique=False)


def downgrade():
    op.drop_table("update_mails")
    op.drop_index(op.f("ix_supporter_updates_petition_id"), table_name="supporter_updates")
    op.drop_table("supporter_updates")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("undo_until")
    with op.batch_alter_table("signatures") as batch:
        batch.drop_column("source")
