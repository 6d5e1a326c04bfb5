"""The guide's pages: reading, editing, editions. Importing this package registers the routes."""

from cop.guide.views import editing, editions, printing, reading, themes

__all__ = ["editing", "editions", "printing", "reading", "themes"]
