"""The circle and meeting a URL names: 404 when missing or when the viewer may not know of it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from cop.circles import queries
from cop.loaders import loads

circle_from_slug = loads("circle", queries.circle_by_slug, param="slug")
meeting_from_id = loads("meeting", queries.meeting_by_id, param="meeting_id")


def content_or_404(circle):
    """The circle's content (threads, members, meetings, plan) is for members unless it is open."""
    if not circle.content_is_visible_to(current_user):
        abort(404)
    return circle
