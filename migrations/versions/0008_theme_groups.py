"""theme groups

How the guide groups its themes (the six thema's, the four "Aan de slag" questions, general).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 20:37:47.877703

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group', sa.String(length=16), nullable=False, server_default='thema'))



def downgrade():
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_column('group')

