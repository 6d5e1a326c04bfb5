"""contributions

Practice experiences, lesson proposals and suggested improvements with their writers, themes and
neighbourhoods, endorsements, the trail of what happened to them and the review's checklist; the
provenance of lessons (lesson_origins); notifications learn which contribution they are about.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 19:59:40.008190

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('praktijkervaring', 'lesvoorstel', 'verbetervoorstel', name='contribution_kind', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'in_review', 'changes_requested', 'declined', 'withdrawn', 'promoted', name='contribution_status', native_enum=False, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('fields_html', sa.JSON(), nullable=False),
    sa.Column('result_bases', sa.JSON(), nullable=False),
    sa.Column('chapter_id', sa.Integer(), nullable=True),
    sa.Column('lesson_id', sa.Integer(), nullable=True),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('proposal', sa.JSON(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('recognised_count', sa.Integer(), nullable=False),
    sa.Column('works_here_count', sa.Integer(), nullable=False),
    sa.Column('endorsement_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('privacy_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_contributions_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_contributions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['base_revision_id'], ['lesson_revisions.id'], name=op.f('fk_contributions_base_revision_id_lesson_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapters.id'], name=op.f('fk_contributions_chapter_id_chapters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_contributions_lesson_id_lessons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_contributions_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_endorsement_count'), ['endorsement_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('contribution_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_html', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_contribution_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_events_contribution_id_contributions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_events'))
    )
    with op.batch_alter_table('contribution_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_events_contribution_id'), ['contribution_id'], unique=False)

    op.create_table('contribution_places',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_places_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_contribution_places_neighbourhood_id_neighbourhoods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contribution_id', 'neighbourhood_id', name=op.f('pk_contribution_places'))
    )
    with op.batch_alter_table('contribution_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_places_neighbourhood_id'), ['neighbourhood_id'], unique=False)

    op.create_table('contribution_themes',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_themes_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_contribution_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contribution_id', 'theme_id', name=op.f('pk_contribution_themes'))
    )
    with op.batch_alter_table('contribution_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('contribution_writers',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_writers_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_contribution_writers_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contribution_writers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contribution_id', 'user_id', name=op.f('pk_contribution_writers'))
    )
    with op.batch_alter_table('contribution_writers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_writers_user_id'), ['user_id'], unique=False)

    op.create_table('endorsements',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_endorsements_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_endorsements_neighbourhood_id_neighbourhoods'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_endorsements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contribution_id', 'user_id', 'kind', name=op.f('pk_endorsements'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_neighbourhood_id'), ['neighbourhood_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_origins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('promoted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_lesson_origins_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_origins_lesson_id_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['promoted_by_id'], ['users.id'], name=op.f('fk_lesson_origins_promoted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['lesson_revisions.id'], name=op.f('fk_lesson_origins_revision_id_lesson_revisions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_origins')),
    sa.UniqueConstraint('lesson_id', 'contribution_id', name=op.f('uq_lesson_origins_lesson_id'))
    )
    with op.batch_alter_table('lesson_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_origins_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_origins_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('review_checks',
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=24), nullable=False),
    sa.Column('verdict', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_review_checks_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_review_checks_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('contribution_id', 'criterion', name=op.f('pk_review_checks'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contribution_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_contribution_id_contributions'), 'contributions', ['contribution_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_contribution_id_contributions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notifications_contribution_id'))
        batch_op.drop_column('contribution_id')

    op.drop_table('review_checks')
    with op.batch_alter_table('lesson_origins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_origins_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_origins_contribution_id'))

    op.drop_table('lesson_origins')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_user_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_neighbourhood_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('contribution_writers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_writers_user_id'))

    op.drop_table('contribution_writers')
    with op.batch_alter_table('contribution_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_themes_theme_id'))

    op.drop_table('contribution_themes')
    with op.batch_alter_table('contribution_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_places_neighbourhood_id'))

    op.drop_table('contribution_places')
    with op.batch_alter_table('contribution_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_events_contribution_id'))

    op.drop_table('contribution_events')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_contributions_status'))
        batch_op.drop_index(batch_op.f('ix_contributions_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_contributions_kind'))
        batch_op.drop_index(batch_op.f('ix_contributions_endorsement_count'))
        batch_op.drop_index(batch_op.f('ix_contributions_created_at'))
        batch_op.drop_index(batch_op.f('ix_contributions_author_id'))
        batch_op.drop_index(batch_op.f('ix_contributions_assignee_id'))

    op.drop_table('contributions')
