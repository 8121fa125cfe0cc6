"""supporter mail: attempts, last error, failed at; an invitation's delivery error

Revision ID: b7c2e4f1a9d3
Revises: 953d4f0df38b
Create Date: 2026-12-02 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7c2e4f1a9d3"
down_revision = "953d4f0df38b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mail_attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("mail_error", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("mail_failed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_error", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("invite_error")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.drop_column("mail_failed_at")
        batch_op.drop_column("mail_error")
        batch_op.drop_column("mail_attempts")
