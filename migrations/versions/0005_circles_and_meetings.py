"""circles and meetings

Learning circles and professional groups with members, requests and invitations, a reading plan,
meetings with attendance and each member's calendar address; notifications learn which circle
and meeting they are about, and carry the facts of their kind (a reason, an answer) as JSON.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 19:27:38.973556

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token'))
    )
    op.create_table('circles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=90), nullable=False),
    sa.Column('kind', sa.Enum('leerkring', 'vakgroep', name='circle_kind', native_enum=False, length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('goal_html', sa.Text(), nullable=False),
    sa.Column('visibility', sa.Enum('open', 'besloten', 'prive', name='circle_visibility', native_enum=False, length=16), nullable=False),
    sa.Column('municipality', sa.String(length=80), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_circles_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circles')),
    sa.UniqueConstraint('slug', name=op.f('uq_circles_slug'))
    )
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circles_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_circles_visibility'), ['visibility'], unique=False)

    op.create_table('circle_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('inviter_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_circle_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_invitations_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inviter_id'], ['users.id'], name=op.f('fk_circle_invitations_inviter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circle_invitations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_invitations'))
    )
    with op.batch_alter_table('circle_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_invitations_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_invitations_user_id'), ['user_id'], unique=False)

    op.create_table('circle_join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.Column('answer', sa.String(length=1000), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_join_requests_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_circle_join_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circle_join_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_join_requests'))
    )
    with op.batch_alter_table('circle_join_requests', schema=None) as batch_op:
        batch_op.create_index('ix_circle_join_requests_open', ['circle_id', 'decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_join_requests_user_id'), ['user_id'], unique=False)

    op.create_table('circle_members',
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'facilitator', name='circle_role', native_enum=False, length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_members_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_circle_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('circle_id', 'user_id', name=op.f('pk_circle_members'))
    )
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.create_index('ix_circle_members_user_id', ['user_id'], unique=False)

    op.create_table('circle_themes',
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_circle_themes_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_circle_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('circle_id', 'theme_id', name=op.f('pk_circle_themes'))
    )
    with op.batch_alter_table('circle_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('bijeenkomst', 'werkatelier', 'online', name='meeting_kind', native_enum=False, length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('agenda_html', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('notes_html', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('notes_thread_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_meetings_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['notes_thread_id'], ['threads.id'], name=op.f('fk_meetings_notes_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_circle_id_starts_at', ['circle_id', 'starts_at'], unique=False)

    op.create_table('meeting_attendance',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Enum('ja', 'misschien', 'nee', name='attendance_answer', native_enum=False, length=16), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendance_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_meeting_attendance'))
    )
    op.create_table('meeting_lessons',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_meeting_lessons_lesson_id_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_lessons_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'lesson_id', name=op.f('pk_meeting_lessons'))
    )
    op.create_table('reading_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_html', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['circle_id'], ['circles.id'], name=op.f('fk_reading_items_circle_id_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_reading_items_lesson_id_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reading_items_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_items')),
    sa.UniqueConstraint('circle_id', 'lesson_id', name='uq_reading_items_circle_id_lesson_id')
    )
    with op.batch_alter_table('reading_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_items_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('reading_marks',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shown', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['reading_items.id'], name=op.f('fk_reading_marks_item_id_reading_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reading_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'user_id', name=op.f('pk_reading_marks'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.create_index(batch_op.f('ix_notifications_circle_id'), ['circle_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_circle_id_circles'), 'circles', ['circle_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_notifications_meeting_id_meetings'), 'meetings', ['meeting_id'], ['id'], ondelete='CASCADE')
    # the default only served the rows that existed; new rows always bring their data
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('data', existing_type=sa.JSON(), server_default=None)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notifications_circle_id_circles'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notifications_circle_id'))
        batch_op.drop_column('data')
        batch_op.drop_column('meeting_id')
        batch_op.drop_column('circle_id')

    op.drop_table('reading_marks')
    with op.batch_alter_table('reading_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_items_lesson_id'))

    op.drop_table('reading_items')
    op.drop_table('meeting_lessons')
    op.drop_table('meeting_attendance')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_circle_id_starts_at')

    op.drop_table('meetings')
    with op.batch_alter_table('circle_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_themes_theme_id'))

    op.drop_table('circle_themes')
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.drop_index('ix_circle_members_user_id')

    op.drop_table('circle_members')
    with op.batch_alter_table('circle_join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_join_requests_user_id'))
        batch_op.drop_index('ix_circle_join_requests_open')

    op.drop_table('circle_join_requests')
    with op.batch_alter_table('circle_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_circle_invitations_circle_id'))

    op.drop_table('circle_invitations')
    with op.batch_alter_table('circles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circles_visibility'))
        batch_op.drop_index(batch_op.f('ix_circles_municipality'))

    op.drop_table('circles')
    op.drop_table('calendar_feeds')
