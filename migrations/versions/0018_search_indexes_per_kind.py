"""search: a GIN index for each kind

On PostgreSQL the kinds with fewer documents shared one GIN index (0015). For a common word its
list holds every lesson, member and contribution with it, and a search for the word among the
500 circles read them all: 11,000 documents for 150 circles, 7 ms of a search of 40 at a million
replies. Each kind now has its own (small pending list, as in 0015); the statement names its kind
as a constant, so that the plan it keeps (``cop.search.queries._inline``) picks that kind's index.
Left out of autogenerate's comparison like the others (``migrations/env.py``). Nothing on SQLite:
its FTS5 index holds the kind and yields a kind's newest hits first.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 15:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# cop.search.queries.KINDS but the two that have had their own since 0015
OTHER_KINDS = ("lesson", "chapter", "contribution", "circle", "meeting", "place", "member")


def _gin(name: str, where: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON search_documents USING gin (search_vector)"
        f" WITH (gin_pending_list_limit = 256) WHERE {where}"
    )


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind in OTHER_KINDS:
        op.execute(_gin(f"ix_search_documents_vector_{kind}", f"kind = '{kind}'"))
    op.execute("DROP INDEX IF EXISTS ix_search_documents_vector_other")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    listed = ", ".join(f"'{kind}'" for kind in OTHER_KINDS)
    op.execute(_gin("ix_search_documents_vector_other", f"kind IN ({listed})"))
    for kind in OTHER_KINDS:
        op.execute(f"DROP INDEX IF EXISTS ix_search_documents_vector_{kind}")
