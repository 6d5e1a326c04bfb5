"""A page of rows that a query fetched itself (with its count), for the pagination macro."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination


class Page(Pagination):
    """``items`` of page ``page`` out of ``total`` rows, ``per_page`` a page."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self._given_items, self._given_total = items, total
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False, count=True)

    def _query_items(self) -> list:
        return self._given_items

    def _query_count(self) -> int:
        return self._given_total
