"""Posting is limited per member: past the limit a Dutch message above the form, the text kept,
429 with Retry-After, and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cop.discussions.models import Post
from cop.extensions import db
from tests.conftest import logged_in
from tests.discussions.factories import start_thread
from tests.factories import make_user

pytestmark = pytest.mark.ratelimit


def test_posting_too_fast_keeps_the_text_and_says_how_long_to_wait(limited_app):
    limited_app.config["RATELIMIT_POSTING"] = "3 per minute"
    author, member = make_user(), make_user()
    thread = start_thread(author)
    client = logged_in(limited_app, member)
    for n in range(3):
        assert (
            client.post(f"/discussie/{thread.ref}/reageren", data={"body": f"Reactie {n}"}).status_code == 302
        )
    response = client.post(
        f"/discussie/{thread.ref}/reageren", data={"body": "Mijn zorgvuldige vierde reactie"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Je plaatst erg snel berichten" in page and "Mijn zorgvuldige vierde reactie" in page
    assert db.session.scalar(select(func.count()).select_from(Post)) == 4
    other = logged_in(limited_app, make_user())  # another member is not held up
    assert other.post(f"/discussie/{thread.ref}/reageren", data={"body": "Ik mag wel"}).status_code == 302
    new_thread = client.post(
        f"/thema/{thread.container.slug}/discussies/nieuw",
        data={"kind": "discussion", "title": "Nog een draad", "body": "Tekst blijft staan"},
    )
    assert new_thread.status_code == 429 and "Tekst blijft staan" in new_thread.get_data(as_text=True)
