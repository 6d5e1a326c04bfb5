"""the search index

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 22:15:00.000000

The table is the same on every database. What matches the words is the database's own:
PostgreSQL a generated ``tsvector`` column (the ``dutch`` configuration, title weight A, body B)
with a GIN index; SQLite an FTS5 table over the prepared columns, kept in step by triggers.
Both are left out of autogenerate's comparison in ``migrations/env.py``.
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        index_title, index_body, content='search_documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
        INSERT INTO search_fts(rowid, index_title, index_body) VALUES (new.id, new.index_title, new.index_body);
    END""",
    """CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, index_title, index_body)
        VALUES ('delete', old.id, old.index_title, old.index_body);
    END""",
    """CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
        INSERT INTO search_fts(search_fts, rowid, index_title, index_body)
        VALUES ('delete', old.id, old.index_title, old.index_body);
        INSERT INTO search_fts(rowid, index_title, index_body) VALUES (new.id, new.index_title, new.index_body);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_UP = [
    """ALTER TABLE search_documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(index_title, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, coalesce(index_body, '')), 'B')) STORED""",
    "CREATE INDEX ix_search_documents_vector ON search_documents USING gin (search_vector)",
]


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("context", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("index_title", sa.Text(), nullable=False),
        sa.Column("index_body", sa.Text(), nullable=False),
        sa.Column("container_kind", sa.String(length=20), nullable=True),
        sa.Column("container_id", sa.Integer(), nullable=True),
        sa.Column("theme_ids", sa.String(length=300), nullable=False),
        sa.Column("place_ids", sa.String(length=300), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "object_id", name="uq_search_documents_kind_object_id"),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_documents_container", ["container_kind", "container_id"], unique=False
        )
        batch_op.create_index("ix_search_documents_parent", ["kind", "parent_id"], unique=False)

    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_words_length"), ["length"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}.get(dialect, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_words_length"))
    op.drop_table("search_words")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_parent")
        batch_op.drop_index("ix_search_documents_container")
    op.drop_table("search_documents")
