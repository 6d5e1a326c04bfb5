"""The API's OpenAPI 3.1 document, written by hand. The tests check every endpoint's real answers
against it (``tests/api/test_openapi.py``), so it cannot drift from what the code does."""

from __future__ import annotations

from copy import deepcopy


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _object(properties: dict, required: list | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
INTEGER = {"type": "integer"}
MOMENT = {"type": "string", "format": "date-time"}

SCHEMAS = {
    "Error": _object(
        {"error": _object({"status": INTEGER, "message": STRING})},
    ),
    "Person": _object({"name": STRING, "organisation": _nullable("string")}),
    "Theme": _object(
        {
            "slug": STRING,
            "title": STRING,
            "description": STRING,
            "group": STRING,
            "url": URL,
            "api_url": URL,
            "threads_url": URL,
        }
    ),
    "Chapter": _object(
        {
            "number": INTEGER,
            "title": STRING,
            "intro": STRING,
            "objectives_intro": STRING,
            "objectives": {"type": "array", "items": STRING},
            "updated_at": MOMENT,
            "url": URL,
            "api_url": URL,
        }
    ),
    "LessonRef": _object(
        {"number": STRING, "slug": STRING, "title": STRING, "url": URL, "api_url": URL},
    ),
    "LessonListed": _object(
        {
            "number": STRING,
            "slug": STRING,
            "title": STRING,
            "url": URL,
            "api_url": URL,
            "chapter": INTEGER,
            "themes": {"type": "array", "items": STRING},
            "audiences": {
                "type": "array",
                "items": {"enum": ["bewoners", "professionals", "beleidsmakers", "bestuurders"]},
            },
            "evidence": _nullable("string"),
            "last_reviewed": _nullable("string", format="date"),
            "updated_at": MOMENT,
            "revision": _nullable("integer"),
        }
    ),
    "Revision": _object(
        {
            "number": INTEGER,
            "title": STRING,
            "summary": STRING,
            "summary_html": STRING,
            "objectives": {"type": "array", "items": STRING},
            "body": {"type": "string", "description": "Markdown source"},
            "body_html": {"type": "string", "description": "sanitized HTML"},
            "quotes": {
                "type": "array",
                "items": _object(
                    {"text": STRING, "text_html": STRING, "speaker": STRING, "organisation": STRING}
                ),
            },
            "examples": {
                "type": "array",
                "items": _object(
                    {"title": STRING, "place": STRING, "text": STRING, "text_html": STRING, "source": STRING}
                ),
            },
            "sources": {
                "type": "array",
                "items": _object(
                    {
                        "title": STRING,
                        "authors": STRING,
                        "publisher": STRING,
                        "year": _nullable("integer"),
                        "url": STRING,
                        "note": STRING,
                    }
                ),
            },
            "created_at": MOMENT,
            "change_note": STRING,
        }
    ),
    "ContributionRef": _object(
        {
            "id": INTEGER,
            "kind": {"enum": ["praktijkervaring", "lesvoorstel", "verbetervoorstel"]},
            "title": STRING,
            "url": URL,
            "api_url": URL,
        }
    ),
    "NeighbourhoodRef": _object(
        {"slug": STRING, "name": STRING, "municipality": STRING, "url": URL, "api_url": URL}
    ),
    "Credit": _object(
        {
            "contribution": _ref("ContributionRef"),
            "how": {"enum": ["new_lesson", "into_lesson", "change"]},
            "writers": {"type": "array", "items": _ref("Person")},
            "neighbourhoods": {"type": "array", "items": _ref("NeighbourhoodRef")},
            "promoted_at": MOMENT,
        }
    ),
    "Edition": _object(
        {
            "number": INTEGER,
            "title": STRING,
            "published_on": _nullable("string", format="date"),
            "lesson_count": INTEGER,
            "url": URL,
            "api_url": URL,
        }
    ),
    "Thread": _object(
        {
            "id": INTEGER,
            "title": STRING,
            "kind": {"enum": ["discussion", "question"]},
            "theme": STRING,
            "author": {"oneOf": [_ref("Person"), {"type": "null"}]},
            "created_at": MOMENT,
            "last_posted_at": MOMENT,
            "reply_count": INTEGER,
            "answered": {"type": "boolean"},
            "url": URL,
            "api_url": URL,
            "posts_url": URL,
        }
    ),
    "Post": _object(
        {
            "number": INTEGER,
            "author": {"oneOf": [_ref("Person"), {"type": "null"}]},
            "body": STRING,
            "body_html": STRING,
            "created_at": MOMENT,
            "edited_at": _nullable("string", format="date-time"),
        }
    ),
    "Neighbourhood": _object(
        {
            "slug": STRING,
            "name": STRING,
            "municipality": STRING,
            "url": URL,
            "api_url": URL,
            "programme": STRING,
            "description": STRING,
            "description_html": STRING,
        }
    ),
    "Promotion": _object(
        {
            "id": INTEGER,
            "kind": STRING,
            "title": STRING,
            "url": URL,
            "api_url": URL,
            "how": STRING,
            "promoted_at": MOMENT,
            "lesson": _ref("LessonRef"),
            "writers": {"type": "array", "items": _ref("Person")},
            "neighbourhoods": {"type": "array", "items": _ref("NeighbourhoodRef")},
        }
    ),
}

SCHEMAS["ChapterDetail"] = _object(
    {**SCHEMAS["Chapter"]["properties"], "lessons": {"type": "array", "items": _ref("LessonRef")}}
)
SCHEMAS["Lesson"] = _object(
    {
        **SCHEMAS["LessonListed"]["properties"],
        "current_revision": _nullable("integer"),
        "revisions": {"type": "array", "items": INTEGER},
        "content": _ref("Revision"),
        "provenance": {"type": "array", "items": _ref("Credit")},
    }
)
SCHEMAS["EditionDetail"] = _object(
    {
        **SCHEMAS["Edition"]["properties"],
        "note": STRING,
        "lessons": {
            "type": "array",
            "items": _object(
                {**SCHEMAS["LessonRef"]["properties"], "revision": INTEGER, "edition_url": URL},
            ),
        },
        "print_url": URL,
        "feed_url": URL,
    }
)
SCHEMAS["Contribution"] = _object(
    {
        **SCHEMAS["ContributionRef"]["properties"],
        "fields": {"type": "object", "additionalProperties": STRING},
        "writers": {"type": "array", "items": _ref("Person")},
        "neighbourhoods": {"type": "array", "items": _ref("NeighbourhoodRef")},
        "lessons": {
            "type": "array",
            "items": _object({**SCHEMAS["LessonRef"]["properties"], "how": STRING, "promoted_at": MOMENT}),
        },
    }
)
SCHEMAS["Index"] = _object(
    {
        "name": STRING,
        "version": STRING,
        "openapi": URL,
        "resources": {"type": "object", "additionalProperties": URL},
        "feeds": {"type": "object", "additionalProperties": URL},
    }
)


def _list_of(name: str) -> dict:
    return _object(
        {
            "data": {"type": "array", "items": _ref(name)},
            "next": {"type": ["string", "null"], "format": "uri", "description": "the next page, or null"},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        }
    )


HEADERS = {
    "ETag": {"schema": STRING, "description": "Ask again with If-None-Match for a 304."},
    "Last-Modified": {"schema": STRING, "description": "Where known; If-Modified-Since gives a 304."},
    "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
}
ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
}
LIST_PARAMETERS = [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}]


def _get(summary: str, schema: dict, parameters=(), found=True, tag="guide") -> dict:
    responses = {
        "200": {"description": "OK", "headers": HEADERS, "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Not modified (the validators still match)"},
        **ERRORS,
    }
    if found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    return {
        "get": {"summary": summary, "tags": [tag], "parameters": list(parameters), "responses": responses}
    }


def _path_parameter(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


PATHS = {
    "/": _get("What this API offers", _ref("Index"), found=False, tag="meta"),
    "/openapi.json": _get("This document", {"type": "object"}, found=False, tag="meta"),
    "/themes": _get("Themes, in the site's order", _list_of("Theme"), LIST_PARAMETERS, found=False),
    "/themes/{slug}": _get("One theme", _ref("Theme"), [_path_parameter("slug", STRING)]),
    "/chapters": _get("Chapters, in reading order", _list_of("Chapter"), LIST_PARAMETERS, found=False),
    "/chapters/{number}": _get(
        "A chapter with its published lessons", _ref("ChapterDetail"), [_path_parameter("number", INTEGER)]
    ),
    "/lessons": _get(
        "Published lessons, in reading order", _list_of("LessonListed"), LIST_PARAMETERS, found=False
    ),
    "/lessons/{number}": _get(
        "A published lesson with its current revision (or ?revision=n) and where it came from",
        _ref("Lesson"),
        [
            _path_parameter("number", {"type": "string", "examples": ["1.2"]}),
            {"name": "revision", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        ],
    ),
    "/editions": _get("Editions, oldest first", _list_of("Edition"), LIST_PARAMETERS, found=False),
    "/editions/{number}": _get(
        "An edition: the revisions it froze", _ref("EditionDetail"), [_path_parameter("number", INTEGER)]
    ),
    "/threads": _get(
        "Public discussions (in themes), newest first",
        _list_of("Thread"),
        [
            *LIST_PARAMETERS,
            {"name": "theme", "in": "query", "schema": STRING, "description": "a theme's slug"},
        ],
        found=False,
        tag="discussions",
    ),
    "/threads/{id}": _get(
        "One public thread", _ref("Thread"), [_path_parameter("id", INTEGER)], tag="discussions"
    ),
    "/threads/{id}/posts": _get(
        "A public thread's posts, in order",
        _list_of("Post"),
        [_path_parameter("id", INTEGER), *LIST_PARAMETERS],
        tag="discussions",
    ),
    "/neighbourhoods": _get(
        "Neighbourhoods, by slug",
        _list_of("Neighbourhood"),
        LIST_PARAMETERS,
        found=False,
        tag="neighbourhoods",
    ),
    "/neighbourhoods/{slug}": _get(
        "One neighbourhood", _ref("Neighbourhood"), [_path_parameter("slug", STRING)], tag="neighbourhoods"
    ),
    "/contributions": _get(
        "Contributions promoted into the guide, newest promotion first",
        _list_of("Promotion"),
        LIST_PARAMETERS,
        found=False,
        tag="contributions",
    ),
    "/contributions/{id}": _get(
        "A promoted contribution and the lessons it went into",
        _ref("Contribution"),
        [_path_parameter("id", INTEGER)],
        tag="contributions",
    ),
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Wijkengids API",
        "version": "1",
        "description": (
            "Read-only, public data of the Wijkengids knowledge community: the guide, public "
            "discussions, neighbourhoods and promoted contributions. Lists are cut by an opaque "
            "cursor (follow `next`); `limit` is capped at 100. Answers carry ETag and Last-Modified; "
            "ask again with If-None-Match or If-Modified-Since for a 304. Any origin may GET (CORS). "
            "Requests are rate limited per client address (429 with Retry-After). Nothing that is "
            "not public is served, whoever asks."
        ),
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "parameters": {
            "limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "default": 25},
                "description": "Items per page; more than 100 is taken as 100.",
            },
            "cursor": {
                "name": "cursor",
                "in": "query",
                "schema": STRING,
                "description": "Opaque: the `next` link of the page before carries it.",
            },
        },
        "responses": {
            "BadRequest": {
                "description": "A parameter is unknown or not valid",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "NotFound": {
                "description": "No such thing (or not public)",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "TooManyRequests": {
                "description": "Rate limit reached; see Retry-After",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
        },
    },
}


def document(public_url: str) -> dict:
    """The document, with the server at the platform's public address."""
    found = deepcopy(DOCUMENT)
    found["servers"] = [{"url": f"{public_url}/api/v1"}]
    return found
