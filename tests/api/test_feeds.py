"""Atom feeds: valid (feedparser finds no fault), absolute addresses at the public address, only
public content, linked from the pages they follow, validators and 304s."""

from __future__ import annotations

import re

import feedparser
import pytest

from cop.guide import services as guide_services
from tests.api.helpers import SECRET, build
from tests.conftest import logged_in

PUBLIC = "http://localhost/"


@pytest.fixture
def world():
    return build()


def feeds(world) -> list[str]:
    return [
        "/feeds/lessen.atom",
        f"/feeds/thema/{world.theme.slug}.atom",
        "/feeds/bijdragen.atom",
        "/feeds/editie/2.atom",
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, f"{url}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    return feed, response


def test_every_feed_is_valid_atom_with_absolute_public_addresses(client, world):
    for url in feeds(world):
        feed, response = parse(client, url)
        assert feed.feed.id.startswith("tag:localhost,2024:")
        assert [link.href for link in feed.feed.links if link.rel == "self"] == ["http://localhost" + url]
        for entry in feed.entries:
            assert entry.link.startswith(PUBLIC), entry.link
            assert entry.id.startswith("tag:localhost,2024:")
            assert entry.updated_parsed is not None
        for href in re.findall(rb'href="([^"]+)"', response.data):
            assert href.startswith(PUBLIC.encode()), href


def test_the_lessons_feed_has_each_new_revision_of_published_lessons(client, world):
    feed, _ = parse(client, "/feeds/lessen.atom")
    titles = [entry.title for entry in feed.entries]
    assert f"1.2 {world.lesson.title} (versie 3)" == titles[0]  # the promotion, newest first
    assert any(title.endswith("(versie 2)") for title in titles)
    assert feed.entries[1].summary.startswith("<p>Aangevuld</p>")
    assert not any(SECRET in title for title in titles)  # the draft lesson


def test_the_theme_feed_has_its_public_threads_only(client, world):
    feed, _ = parse(client, f"/feeds/thema/{world.theme.slug}.atom")
    assert [entry.title for entry in feed.entries] == ["Openbare draad"]
    assert feed.entries[0].author == "Marieke Lid"
    assert "Een openbaar bericht." in feed.entries[0].summary
    missing = client.get("/feeds/thema/bestaat-niet.atom")
    assert missing.status_code == 404
    assert missing.mimetype == "text/plain"  # a feed reader shows a line, not a web page's source
    assert missing.text.startswith("Pagina niet gevonden.")


def test_the_contributions_feed_has_promotions_and_the_edition_feed_its_changes(client, world):
    feed, _ = parse(client, "/feeds/bijdragen.atom")
    assert [entry.title for entry in feed.entries] == ["Buurttafels werken"]
    assert "1.2" in feed.entries[0].summary
    guide_services.publish_edition(title="Derde", published_on=None, note="", actor=world.moderator)
    feed, _ = parse(client, "/feeds/editie/3.atom")
    assert [entry.title for entry in feed.entries] == [f"1.2 {world.lesson.title}"]
    assert "Gewijzigd" in feed.entries[0].summary
    assert feed.entries[0].link == f"{PUBLIC}editie/3/les/{world.lesson.ref}"
    assert client.get("/feeds/editie/99.atom").status_code == 404


def test_nothing_private_in_any_feed_for_anyone(app, client, world):
    from cop.db_types import utcnow
    from cop.discussions import Thread
    from cop.extensions import db

    db.session.get(Thread, world.secret_thread.id).container_id = world.theme.id  # same id, a circle
    hidden = db.session.get(Thread, world.thread.id)
    hidden.hidden_at = utcnow()
    db.session.commit()
    for viewer in (client, logged_in(app, world.moderator)):
        for url in feeds(world):
            text = viewer.get(url).get_data(as_text=True)
            assert SECRET not in text and "Openbare draad" not in text, url


def test_feeds_answer_304_and_allow_any_origin(client, world):
    for url in feeds(world):
        first = client.get(url)
        assert first.headers["Access-Control-Allow-Origin"] == "*"
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert (
            client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
        )


def test_the_pages_link_their_feeds(client, world):
    pages = {
        "/gids/": "/feeds/lessen.atom",
        f"/thema/{world.theme.slug}": f"/feeds/thema/{world.theme.slug}.atom",
        f"/thema/{world.theme.slug}/discussies": f"/feeds/thema/{world.theme.slug}.atom",
        "/bijdragen/": "/feeds/bijdragen.atom",
        "/editie/2/nieuw": "/feeds/editie/2.atom",
    }
    for page, feed in pages.items():
        html = client.get(page).get_data(as_text=True)
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in html, page
