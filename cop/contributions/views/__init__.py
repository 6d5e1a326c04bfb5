"""The contributions' pages: reading and the community (reading.py), writing (writing.py) and the
moderators' review and promotion (review.py)."""

from cop.contributions.views import reading, review, writing  # noqa: F401  (routes register on bp)
