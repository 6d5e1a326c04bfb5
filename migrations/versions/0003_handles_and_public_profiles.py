"""handles and public profiles

Every member gets a handle (for mentions and the profile's address), proposed from the display
name; profiles are for logged-in members unless the member makes theirs public.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:30:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

RESERVED = {"admin", "beheer", "beheerder", "moderator", "moderatie", "wijkengids", "iedereen", "allen", "systeem"}


def _base(name):
    # The rule of cop/accounts/handles.py as it was when this migration was written.
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:26].strip("-")
    if len(base) < 3 or base in RESERVED:
        base = (base + "-lid").strip("-") if base else "lid"
    return base


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handle', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('profile_public', sa.Boolean(), nullable=False, server_default=sa.false()))

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('display_name', sa.String), sa.column('handle', sa.String))
    connection = op.get_bind()
    taken = set()
    for user_id, name in connection.execute(sa.select(users.c.id, users.c.display_name).order_by(users.c.id)):
        base = _base(name)
        handle, number = base, 2
        while handle in taken:
            handle, number = f"{base}-{number}", number + 1
        taken.add(handle)
        connection.execute(users.update().where(users.c.id == user_id).values(handle=handle))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('handle', existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column('profile_public', server_default=None)
        batch_op.create_unique_constraint(batch_op.f('uq_users_handle'), ['handle'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_handle'), type_='unique')
        batch_op.drop_column('profile_public')
        batch_op.drop_column('handle')
