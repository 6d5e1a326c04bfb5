"""What valid lesson content is: limits and checks shared by the forms and the content import."""

from __future__ import annotations

import re
import unicodedata

from cop.guide.models import AUDIENCES, EVIDENCE, EXAMPLE_FIELDS, QUOTE_FIELDS, SOURCE_FIELDS

NUMBER_RE = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{1,3}){1,3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://[^\s]+$")

LIMITS = {
    "title": 200,
    "summary": 5_000,
    "objective": 300,
    "body": 100_000,
    "change_note": 300,
    "slug": 120,
    "quote.text": 5_000,
    "quote.speaker": 120,
    "quote.organisation": 160,
    "example.title": 200,
    "example.place": 160,
    "example.text": 20_000,
    "example.source": 500,
    "source.title": 300,
    "source.authors": 300,
    "source.publisher": 200,
    "source.url": 500,
    "source.note": 500,
    "chapter.title": 200,
    "chapter.intro": 20_000,
    "chapter.objectives_intro": 200,
}
MAX_ITEMS = {"objectives": 20, "quotes": 20, "examples": 20, "sources": 50}
YEAR_RANGE = (1800, 2100)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[: LIMITS["slug"]].rstrip("-")


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def _year(value):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return int(value)


def normalise_content(raw: dict) -> dict:
    """Plain, stripped lesson content with empty list entries dropped. Raises ValueError on a bad year."""
    objectives = [_text(o).lstrip("-•* ").strip() for o in raw.get("objectives") or []]
    quotes = [{k: _text((q or {}).get(k)) for k in QUOTE_FIELDS} for q in raw.get("quotes") or []]
    examples = [{k: _text((e or {}).get(k)) for k in EXAMPLE_FIELDS} for e in raw.get("examples") or []]
    sources = []
    for s in raw.get("sources") or []:
        s = s or {}
        item = {k: _text(s.get(k)) for k in SOURCE_FIELDS if k != "year"}
        item["year"] = _year(s.get("year"))
        sources.append({k: item[k] for k in SOURCE_FIELDS})
    return {
        "title": _text(raw.get("title")),
        "summary": _text(raw.get("summary")),
        "objectives": [o for o in objectives if o],
        "body": _text(raw.get("body")),
        "quotes": [q for q in quotes if any(q.values())],
        "examples": [e for e in examples if any(e.values())],
        "sources": [s for s in sources if any(v not in ("", None) for v in s.values())],
    }


def content_errors(content: dict) -> list[tuple[tuple, str]]:
    """Problems in normalised content as (path, English message); path like ('quotes', 0, 'text')."""
    errors: list[tuple[tuple, str]] = []

    def too_long(path, value, limit_key):
        if len(value) > LIMITS[limit_key]:
            errors.append((path, f"use at most {LIMITS[limit_key]} characters"))

    if not content["title"]:
        errors.append((("title",), "a title is required"))
    too_long(("title",), content["title"], "title")
    too_long(("summary",), content["summary"], "summary")
    too_long(("body",), content["body"], "body")
    for key, limit in MAX_ITEMS.items():
        if len(content[key]) > limit:
            errors.append(((key,), f"at most {limit} items"))
    for i, objective in enumerate(content["objectives"]):
        too_long(("objectives", i), objective, "objective")
    for i, quote in enumerate(content["quotes"]):
        if not quote["text"]:
            errors.append((("quotes", i, "text"), "a quote needs its text"))
        if not quote["speaker"]:
            errors.append((("quotes", i, "speaker"), "a quote needs the name of the speaker"))
        for k in QUOTE_FIELDS:
            too_long(("quotes", i, k), quote[k], f"quote.{k}")
    for i, example in enumerate(content["examples"]):
        if not example["title"]:
            errors.append((("examples", i, "title"), "a practice example needs a title"))
        if not example["text"]:
            errors.append((("examples", i, "text"), "a practice example needs its text"))
        for k in EXAMPLE_FIELDS:
            too_long(("examples", i, k), example[k], f"example.{k}")
    for i, source in enumerate(content["sources"]):
        if not source["title"]:
            errors.append((("sources", i, "title"), "a source needs a title"))
        if source["year"] is not None and not YEAR_RANGE[0] <= source["year"] <= YEAR_RANGE[1]:
            errors.append((("sources", i, "year"), f"a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}"))
        if source["url"] and not URL_RE.match(source["url"]):
            errors.append((("sources", i, "url"), "a web address starting with http:// or https://"))
        for k in SOURCE_FIELDS:
            if k != "year":
                too_long(("sources", i, k), source[k], f"source.{k}")
    return errors


def number_error(number: str, chapter_number: int | None) -> str | None:
    if not NUMBER_RE.match(number or ""):
        return "number"
    if chapter_number is not None and int(number.split(".")[0]) != chapter_number:
        return "chapter"
    return None


def clean_audiences(values) -> list[str]:
    return [a for a in AUDIENCES if a in set(values or [])]


def valid_evidence(value) -> bool:
    return value in (None, "") or value in EVIDENCE
