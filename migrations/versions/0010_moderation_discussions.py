"""hidden posts and threads, merged threads, retired themes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 22:15:00.000000

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hidden_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_threads_hidden_by_id_users"),
            "users",
            ["hidden_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            "fk_threads_merged_into_id_threads", "threads", ["merged_into_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("hidden_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_posts_hidden_by_id_users"), "users", ["hidden_by_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "merged_posts",
        sa.Column("old_thread_id", sa.Integer(), nullable=False),
        sa.Column("old_number", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["old_thread_id"],
            ["threads.id"],
            name=op.f("fk_merged_posts_old_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_merged_posts_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("old_thread_id", "old_number", name=op.f("pk_merged_posts")),
    )
    with op.batch_alter_table("merged_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merged_posts_post_id"), ["post_id"], unique=False)

    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_column("retired_at")

    with op.batch_alter_table("merged_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merged_posts_post_id"))
    op.drop_table("merged_posts")

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_posts_hidden_by_id_users"), type_="foreignkey")
        batch_op.drop_column("hidden_reason")
        batch_op.drop_column("hidden_by_id")
        batch_op.drop_column("hidden_at")

    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_constraint("fk_threads_merged_into_id_threads", type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_threads_hidden_by_id_users"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("hidden_reason")
        batch_op.drop_column("hidden_by_id")
        batch_op.drop_column("hidden_at")
