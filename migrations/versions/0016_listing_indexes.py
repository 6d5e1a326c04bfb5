"""indexes for the latest items (threads anywhere and per container, open questions, lessons) and the review queue

The home page's panels (the latest active threads anywhere, the newest open questions, recent
lessons, lessons from practice) and a theme's or circle's latest threads read a few rows from the
newest; without an index in that order the database sorted every row first (a quarter of a second
at 50,000 threads). The review queue reads a state's contributions, oldest first, from its own
index. The index of the lessons' status goes: nearly every lesson is published, and
SQLite took it over the order the list wants.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 05:45:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_threads_container_recent", ["container_kind", "container_id", "last_posted_at", "id"]
        )
        batch_op.create_index("ix_threads_recent", ["last_posted_at", "id"])
        batch_op.create_index("ix_threads_kind_created", ["kind", "created_at", "id"])
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.create_index("ix_lessons_recent", ["updated_at", "id"])
        batch_op.drop_index("ix_lessons_status")
    with op.batch_alter_table("lesson_origins", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_origins_recent", ["created_at", "id"])
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index("ix_contributions_queue", ["status", "status_changed_at", "id", "assignee_id"])


def downgrade():
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_queue")
    with op.batch_alter_table("lesson_origins", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_origins_recent")
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.create_index("ix_lessons_status", ["status"])
        batch_op.drop_index("ix_lessons_recent")
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_kind_created")
        batch_op.drop_index("ix_threads_recent")
        batch_op.drop_index("ix_threads_container_recent")
