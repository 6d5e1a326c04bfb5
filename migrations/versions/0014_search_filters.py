"""search: the newest matches of each kind, found fast

A search counts and ranks only the newest matches of each kind (``cop.search.queries``). On
PostgreSQL an index on (kind, id) lets it read a kind's documents newest first and stop early; on
SQLite the FTS5 index also holds each document's kind, themes and neighbourhoods, so the index
itself narrows a search to a kind (or a theme, a neighbourhood) and yields the newest first. The
FTS5 table is made again with those columns (and its triggers) and filled from the documents.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 02:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FTS_COLUMNS = {
    "0012": ("index_title", "index_body"),
    "0014": ("index_title", "index_body", "kind", "theme_ids", "place_ids"),
}


def _sqlite_fts(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        "DROP TRIGGER IF EXISTS search_documents_au",
        "DROP TRIGGER IF EXISTS search_documents_ad",
        "DROP TRIGGER IF EXISTS search_documents_ai",
        "DROP TABLE IF EXISTS search_fts",
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {names}, content='search_documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names}) VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


def upgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_kind_id", ["kind", "id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_fts(FTS_COLUMNS["0014"]):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_fts(FTS_COLUMNS["0012"]):
            op.execute(statement)
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_kind_id")
