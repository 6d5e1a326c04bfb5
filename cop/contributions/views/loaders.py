"""The contribution a URL names: 404 when missing or when the viewer may not see it (a draft is
for its writers only)."""

from __future__ import annotations

from cop.contributions import queries
from cop.loaders import loads

contribution_from_id = loads("contribution", queries.by_id, param="contribution_id")
