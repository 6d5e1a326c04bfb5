"""/api/v1/: every endpoint's real answers against the OpenAPI document, cursor pagination,
validators and 304s, CORS, no session, nothing that is not public, JSON errors."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from cop.api.openapi import DOCUMENT
from tests.api.helpers import SECRET, build, check_against_document
from tests.conftest import logged_in


@pytest.fixture
def world():
    return build()


def examples(world) -> dict[str, str]:
    """Each path of the document with example values (that exist)."""
    return {
        "/": "/api/v1/",
        "/openapi.json": "/api/v1/openapi.json",
        "/themes": "/api/v1/themes",
        "/themes/{slug}": f"/api/v1/themes/{world.theme.slug}",
        "/chapters": "/api/v1/chapters",
        "/chapters/{number}": f"/api/v1/chapters/{world.lesson.chapter.number}",
        "/lessons": "/api/v1/lessons",
        "/lessons/{number}": f"/api/v1/lessons/{world.lesson.number}",
        "/editions": "/api/v1/editions",
        "/editions/{number}": "/api/v1/editions/2",
        "/threads": "/api/v1/threads",
        "/threads/{id}": f"/api/v1/threads/{world.thread.id}",
        "/threads/{id}/posts": f"/api/v1/threads/{world.thread.id}/posts",
        "/neighbourhoods": "/api/v1/neighbourhoods",
        "/neighbourhoods/{slug}": f"/api/v1/neighbourhoods/{world.place.slug}",
        "/contributions": "/api/v1/contributions",
        "/contributions/{id}": f"/api/v1/contributions/{world.promoted.id}",
    }


def test_the_document_is_openapi_3_1_and_names_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)  # each is a valid JSON schema (2020-12, as 3.1 says)
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    routes = {r.replace("{thread_id}", "{id}").replace("{contribution_id}", "{id}") for r in routes}
    assert routes == set(document["paths"])


def test_every_endpoint_answers_as_the_document_says(client, world):
    for path, url in examples(world).items():
        response = client.get(url)
        assert response.status_code == 200, url
        check_against_document(path, response)
        for query in ("?limit=2", "?limit=1"):
            if "limit" in str(DOCUMENT["paths"][path]["get"]["parameters"]):
                check_against_document(path, client.get(url + query))


def test_errors_answer_as_the_document_says(client, world):
    missing = {
        "/themes/{slug}": "/api/v1/themes/bestaat-niet",
        "/chapters/{number}": "/api/v1/chapters/99",
        "/lessons/{number}": "/api/v1/lessons/9.9",
        "/editions/{number}": "/api/v1/editions/99",
        "/threads/{id}": "/api/v1/threads/999999",
        "/threads/{id}/posts": "/api/v1/threads/999999/posts",
        "/neighbourhoods/{slug}": "/api/v1/neighbourhoods/nergens",
        "/contributions/{id}": "/api/v1/contributions/999999",
    }
    for path, url in missing.items():
        response = client.get(url)
        assert response.status_code == 404, url
        check_against_document(path, response)
    bad = {
        "/lessons": [
            "?limit=0",
            "?limit=-1",
            "?limit=tien",
            "?cursor=zomaar",
            "?kleur=rood",
            "?limit=1&limit=2",
        ],
        "/lessons/{number}": ["?revision=0", "?revision=een", "?revision=99999999999"],
        "/threads": ["?theme=bestaat-niet"],
    }
    for path, queries in bad.items():
        for query in queries:
            url = examples(world)[path] + query
            response = client.get(url)
            assert response.status_code == 400, url
            check_against_document(path, response)
            assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_address_or_method_under_the_api_is_a_json_error(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "message": "Not found."}}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = client.post("/api/v1/lessons")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405
    assert "text/html" in client.get("/bestaat-niet").content_type  # the site keeps its pages


def test_a_lesson_has_its_current_revision_older_ones_and_its_provenance(client, world):
    lesson = client.get(f"/api/v1/lessons/{world.lesson.number}").get_json()
    assert lesson["revisions"] == [1, 2, 3]  # imported, revised, the promotion
    assert lesson["revision"] == lesson["current_revision"] == 3
    assert lesson["content"]["examples"][-1]["title"] == "Buurttafels werken"
    [credit] = lesson["provenance"]
    assert credit["contribution"]["title"] == "Buurttafels werken"
    assert credit["writers"] == [{"name": "Marieke Lid", "organisation": "Gemeente Utrecht"}]
    assert [n["slug"] for n in credit["neighbourhoods"]] == ["kanaleneiland-utrecht"]
    first = client.get(f"/api/v1/lessons/{world.lesson.number}?revision=1").get_json()
    assert first["revision"] == 1 and first["current_revision"] == 3
    assert "Een zin erbij." not in first["content"]["body"]
    assert first["provenance"] == []  # the contribution came in with version 3
    assert client.get(f"/api/v1/lessons/{world.lesson.number}?revision=4").status_code == 404
    assert lesson["content"]["sources"], "the shipped lesson 1.2 cites sources"


def more_lessons(world, count: int) -> None:
    from tests.guide.factories import make_lesson

    for number in range(count):
        make_lesson(world.lesson.chapter, f"1.{number + 10}", f"Les {number + 10}")


def test_cursor_pagination_walks_every_item_once(client, world):
    more_lessons(world, 6)
    everything = client.get("/api/v1/lessons?limit=100").get_json()
    assert everything["next"] is None
    numbers, url, pages = [], "/api/v1/lessons?limit=2", 0
    while url:
        page = client.get(url.removeprefix("http://localhost")).get_json()
        assert len(page["data"]) <= 2
        numbers += [item["number"] for item in page["data"]]
        url, pages = page["next"], pages + 1
    assert numbers == [item["number"] for item in everything["data"]]
    assert len(set(numbers)) == len(numbers) > 4 and pages == -(-len(numbers) // 2)
    response = client.get("/api/v1/lessons?limit=2")
    assert response.headers["Link"] == f'<{response.get_json()["next"]}>; rel="next"'


def test_limit_is_capped_and_a_cursor_fits_only_its_own_list(client, world):
    more_lessons(world, 2)
    assert client.get("/api/v1/lessons?limit=5000").get_json()["limit"] == 100
    cursor = client.get("/api/v1/lessons?limit=1").get_json()["next"].split("cursor=")[1]
    assert client.get(f"/api/v1/lessons?cursor={cursor}").status_code == 200
    response = client.get(f"/api/v1/chapters?cursor={cursor}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "cursor: not a cursor of this list"


def test_etag_and_last_modified_give_304(client, world):
    url = f"/api/v1/lessons/{world.lesson.number}"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"iets-anders"'}).status_code == 200
    assert client.get("/api/v1/lessons", headers={"If-None-Match": etag}).status_code == 200
    listed = client.get("/api/v1/threads")
    assert client.get("/api/v1/threads", headers={"If-None-Match": listed.headers["ETag"]}).status_code == 304
    # a new reply changes the list's answer
    from cop.discussions import services

    services.reply(world.thread, world.member, "Nog een bericht.")
    assert client.get("/api/v1/threads", headers={"If-None-Match": listed.headers["ETag"]}).status_code == 200


def test_any_origin_may_get_and_ask_first(client):
    response = client.get("/api/v1/themes", headers={"Origin": "https://elders.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/themes",
        headers={
            "Origin": "https://elders.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_a_logged_in_member_gets_the_same_public_data_and_no_session(app, client, world, count_queries):
    member_client = logged_in(app, world.moderator)
    for url in examples(world).values():
        anonymous, member = client.get(url), member_client.get(url)
        assert member.data == anonymous.data, url
        assert member.headers["ETag"] == anonymous.headers["ETag"]
        assert "Set-Cookie" not in member.headers and "Set-Cookie" not in anonymous.headers
    assert client.get("/api/v1/lessons").headers["Cache-Control"] == "public, no-cache"
    assert member_client.get("/api/v1/lessons").headers["Cache-Control"] == "no-store"
    with count_queries() as anonymous:
        client.get("/api/v1/lessons")
    with count_queries() as member:
        member_client.get("/api/v1/lessons")
    assert member.count == anonymous.count  # the member is not even loaded


def _all_text(client, world) -> str:
    """Every answer of every endpoint, and of every list's every page, as one text."""
    texts = []
    for url in examples(world).values():
        texts.append(client.get(url).get_data(as_text=True))
    for endpoint in ("lessons", "threads", "contributions", "neighbourhoods", "themes", "editions"):
        texts.append(client.get(f"/api/v1/{endpoint}?limit=100").get_data(as_text=True))
    return "\n".join(texts)


def test_nothing_that_is_not_public_is_ever_served(app, client, world):
    for viewer in (client, logged_in(app, world.moderator)):
        text = _all_text(viewer, world)
        assert SECRET not in text, text[text.find(SECRET) - 200 : text.find(SECRET) + 100]
        for url in (
            f"/api/v1/lessons/{world.draft.number}",
            f"/api/v1/threads/{world.secret_thread.id}",
            f"/api/v1/threads/{world.secret_thread.id}/posts",
            f"/api/v1/contributions/{world.draft_contribution.id}",
            f"/api/v1/neighbourhoods/{world.proposal.slug}",
        ):
            assert viewer.get(url).status_code == 404, url
    posts = client.get(f"/api/v1/threads/{world.thread.id}/posts").get_json()["data"]
    assert [post["number"] for post in posts] == [1, 2]  # the deleted third is left out


def test_a_circle_thread_never_passes_for_a_theme_thread(client, world):
    """A circle's thread whose container id equals a theme's id stays out of the theme's list."""
    from cop.discussions import Thread
    from cop.extensions import db

    db.session.get(Thread, world.secret_thread.id).container_id = world.theme.id
    db.session.commit()
    for url in (f"/api/v1/threads?theme={world.theme.slug}", "/api/v1/threads?limit=100"):
        assert SECRET not in client.get(url).get_data(as_text=True)


def test_a_hidden_thread_and_post_are_never_served(app, client, world):
    """Hidden by a moderator: gone from the API for everyone, moderators included (the API shows
    what a visitor sees)."""
    from cop.db_types import utcnow
    from cop.discussions import Post, Thread
    from cop.extensions import db

    thread = db.session.get(Thread, world.thread.id)
    reply = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id, Post.number == 2))
    reply.hidden_at = utcnow()
    db.session.commit()
    for viewer in (client, logged_in(app, world.moderator)):
        posts = viewer.get(f"/api/v1/threads/{thread.id}/posts").get_json()["data"]
        assert [p["number"] for p in posts] == [1]
    thread.hidden_at = utcnow()
    db.session.commit()
    for viewer in (client, logged_in(app, world.moderator)):
        assert viewer.get(f"/api/v1/threads/{thread.id}").status_code == 404
        assert viewer.get(f"/api/v1/threads/{thread.id}/posts").status_code == 404
        assert "Openbare draad" not in viewer.get("/api/v1/threads").get_data(as_text=True)
