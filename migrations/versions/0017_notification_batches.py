"""notification batches: a reply's or a new thread's notifications, written after the response

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import cop.db_types

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", cop.db_types.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_batches")),
    )
    with op.batch_alter_table("notification_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_batches_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("notification_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_batches_created_at"))
    op.drop_table("notification_batches")
