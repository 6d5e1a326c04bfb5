"""account deletion

A deleted account keeps its row (posts keep their author as "verwijderd lid") with everything
personal removed: when it was deleted, and the name the member chose to keep on lessons that came
from their contributions.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 22:15:00.000000

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("credit_name", sa.String(length=80), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("credit_name")
        batch_op.drop_column("deleted_at")
