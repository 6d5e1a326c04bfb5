"""search: indexes for the newest hits of each kind

A search reads the newest hits of each kind (``cop.search.queries``). On PostgreSQL the one GIN
index over every document, whose posting list for a common word holds most of a million documents,
makes way for one for the replies, one for the threads and one for the other kinds (each with a
small pending list: every search reads all of it); the kinds with many documents get an index of
their ids, read backwards from the newest; and the (kind, id) index of 0014 goes, as the planner
would rather walk the primary key. These are PostgreSQL's own, like the tsvector column, and left
out of autogenerate's comparison (``migrations/env.py``). On SQLite the (kind, id) index goes too
(the FTS5 index leads there) and the FTS5 index is merged into one segment.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 04:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# cop.search.queries: WINDOWS (the kinds with an index of their ids) and the kinds of the GIN
# indexes; a kind added later belongs in the "other" GIN index
WITH_IDS = ("post", "thread", "contribution", "member", "lesson")
OTHER_KINDS = ("lesson", "chapter", "contribution", "circle", "meeting", "place", "member")


def _gin(name: str, where: str) -> str:
    # A small pending list: new documents wait there for the index proper, and every search reads
    # all of it (the default, 4 MB, costs a rare word a tenth of a second where no vacuum runs).
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON search_documents USING gin (search_vector)"
        f" WITH (gin_pending_list_limit = 256) WHERE {where}"
    )


def _listed(kinds) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


POSTGRESQL_UP = [
    "DROP INDEX IF EXISTS ix_search_documents_vector",
    _gin("ix_search_documents_vector_post", "kind = 'post'"),
    _gin("ix_search_documents_vector_thread", "kind = 'thread'"),
    _gin("ix_search_documents_vector_other", f"kind IN ({_listed(OTHER_KINDS)})"),
    *(
        f"CREATE INDEX IF NOT EXISTS ix_search_documents_ids_{kind} ON search_documents (id)"
        f" WHERE kind = '{kind}'"
        for kind in WITH_IDS
    ),
]
POSTGRESQL_DOWN = [
    *(f"DROP INDEX IF EXISTS ix_search_documents_ids_{kind}" for kind in WITH_IDS),
    "DROP INDEX IF EXISTS ix_search_documents_vector_other",
    "DROP INDEX IF EXISTS ix_search_documents_vector_thread",
    "DROP INDEX IF EXISTS ix_search_documents_vector_post",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_vector ON search_documents USING gin (search_vector)",
]


def upgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_kind_id")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    elif dialect == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWN:
            op.execute(statement)
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_kind_id", ["kind", "id"], unique=False)
