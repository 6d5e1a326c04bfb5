"""The guide's pages: reading, editing, editions. Importing this package registers the routes."""

from cop.guide.views import editing, editions, reading

__all__ = ["editing", "editions", "reading"]
