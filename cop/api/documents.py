"""Objects as the API's JSON documents. Absolute URLs come from the public address (PUBLIC_URL),
never from the request. No e-mail addresses, no member ids: members appear by their names as the
public pages show them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cop.urls import public_url


def moment(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def person(user) -> dict | None:
    if user is None:
        return None
    return {"name": user.display_name, "organisation": user.organisation or None}


def theme(item) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "description": item.description or "",
        "group": item.group,
        "url": public_url("guide.theme", slug=item.slug),
        "api_url": public_url("api.theme", slug=item.slug),
        "threads_url": public_url("api.threads", theme=item.slug),
    }


def chapter(item) -> dict:
    return {
        "number": item.number,
        "title": item.title,
        "intro": item.intro or "",
        "objectives_intro": item.objectives_intro or "",
        "objectives": list(item.objectives or []),
        "updated_at": moment(item.updated_at),
        "url": public_url("guide.chapter", number=item.number),
        "api_url": public_url("api.chapter", number=item.number),
    }


def lesson_summary(item, title: str | None = None) -> dict:
    return {
        "number": item.number,
        "slug": item.slug,
        "title": title or item.title,
        "url": public_url("guide.lesson", ref=item.ref),
        "api_url": public_url("api.lesson", number=item.number),
    }


def lesson_listed(item) -> dict:
    return {
        **lesson_summary(item),
        "chapter": item.chapter.number,
        "themes": [t.slug for t in item.themes],
        "audiences": item.audiences,
        "evidence": item.evidence,
        "last_reviewed": moment(item.last_reviewed),
        "updated_at": moment(item.updated_at),
        "revision": item.current_revision.number if item.current_revision else None,
    }


def revision(item) -> dict:
    return {
        "number": item.number,
        "title": item.title,
        "summary": item.summary or "",
        "summary_html": item.summary_html or "",
        "objectives": list(item.objectives or []),
        "body": item.body or "",
        "body_html": item.body_html or "",
        "quotes": [
            {
                "text": q.get("text", ""),
                "text_html": q.get("text_html", ""),
                "speaker": q.get("speaker", ""),
                "organisation": q.get("organisation", ""),
            }
            for q in item.quotes or []
        ],
        "examples": [
            {
                "title": e.get("title", ""),
                "place": e.get("place", ""),
                "text": e.get("text", ""),
                "text_html": e.get("text_html", ""),
                "source": e.get("source", ""),
            }
            for e in item.examples or []
        ],
        "sources": [
            {
                "title": s.title,
                "authors": s.authors or "",
                "publisher": s.publisher or "",
                "year": s.year,
                "url": s.url or "",
                "note": s.note or "",
            }
            for s in item.sources
        ],
        "created_at": moment(item.created_at),
        "change_note": item.change_note or "",
    }


def credit(item) -> dict:
    """One line of a lesson's provenance: which contribution, by whom, from where, when."""
    return {
        "contribution": contribution_summary(item.contribution),
        "how": item.origin.how,
        "writers": [person(user) for user in item.writers],
        "neighbourhoods": [neighbourhood_summary(place) for place in item.places],
        "promoted_at": moment(item.origin.created_at),
    }


def contribution_summary(item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "url": public_url("contributions.contribution", contribution_id=item.id),
        "api_url": public_url("api.contribution", contribution_id=item.id),
    }


def neighbourhood_summary(item) -> dict:
    return {
        "slug": item.slug,
        "name": item.name,
        "municipality": item.municipality,
        "url": public_url("places.neighbourhood", slug=item.slug),
        "api_url": public_url("api.neighbourhood", slug=item.slug),
    }


def neighbourhood(item) -> dict:
    return {
        **neighbourhood_summary(item),
        "programme": item.programme.value,
        "description": item.description or "",
        "description_html": item.description_html or "",
    }


def edition_summary(item, lesson_count: int) -> dict:
    return {
        "number": item.number,
        "title": item.title,
        "published_on": moment(item.published_on),
        "lesson_count": lesson_count,
        "url": public_url("guide.edition", number=item.number),
        "api_url": public_url("api.edition", number=item.number),
    }


def thread(item, container) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind.value,
        "theme": container.slug,
        "author": person(item.author),
        "created_at": moment(item.created_at),
        "last_posted_at": moment(item.last_posted_at),
        "reply_count": item.reply_count,
        "answered": item.is_answered,
        "url": public_url("discussions.thread", ref=item.ref),
        "api_url": public_url("api.thread", thread_id=item.id),
        "posts_url": public_url("api.posts", thread_id=item.id),
    }


def post(item) -> dict:
    return {
        "number": item.number,
        "author": person(item.author),
        "body": item.body,
        "body_html": item.body_html,
        "created_at": moment(item.created_at),
        "edited_at": moment(item.edited_at),
    }
