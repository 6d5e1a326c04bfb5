"""neighbourhoods

The neighbourhoods (wijken) with their municipality and programme, proposed by members and decided
by moderators; the neighbourhood a member works in; the neighbourhood a circle is tied to.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:47:57.134781

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('neighbourhoods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('municipality', sa.String(length=80), nullable=False),
    sa.Column('programme', sa.Enum('40', '40plus', 'other', 'krimp', name='programme', native_enum=False, length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('approved', 'proposed', 'declined', 'merged', name='place_status', native_enum=False, length=16), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_neighbourhoods_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['neighbourhoods.id'], name=op.f('fk_neighbourhoods_merged_into_id_neighbourhoods'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_neighbourhoods_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhoods')),
    sa.UniqueConstraint('slug', name=op.f('uq_neighbourhoods_slug'))
    )
    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_neighbourhoods_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_neighbourhoods_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_neighbourhoods_programme'), ['programme'], unique=False)

    op.create_table('member_areas',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_member_areas_neighbourhood_id_neighbourhoods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_areas_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_member_areas'))
    )
    with op.batch_alter_table('member_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_areas_neighbourhood_id'), ['neighbourhood_id'], unique=False)

    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('neighbourhood_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_circles_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_circles_neighbourhood_id_neighbourhoods'), 'neighbourhoods', ['neighbourhood_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_circles_neighbourhood_id_neighbourhoods'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_circles_neighbourhood_id'))
        batch_op.drop_column('neighbourhood_id')

    with op.batch_alter_table('member_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_areas_neighbourhood_id'))

    op.drop_table('member_areas')
    with op.batch_alter_table('neighbourhoods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_neighbourhoods_programme'))
        batch_op.drop_index(batch_op.f('ix_neighbourhoods_municipality'))
        batch_op.drop_index(batch_op.f('ix_neighbourhoods_key'))

    op.drop_table('neighbourhoods')
