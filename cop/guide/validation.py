"""What valid lesson content is: limits and checks shared by the forms and the content import."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cop.guide.models import AUDIENCES, EVIDENCE, EXAMPLE_FIELDS, QUOTE_FIELDS, SOURCE_FIELDS

# Every part of a lesson number is a whole number from 1 without leading zeros: 1.2, 2.4.5, 1.10
# (not 1.02, which would sort and read like 1.2, and not 1.0).
NUMBER_RE = re.compile(r"^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2}){1,3}$")
LOOSE_NUMBER_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){1,3}$")
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


# Why content is not valid, per problem code: in English for the content files (the CLI speaks
# English) and through gettext for the web form.
REASONS_EN = {
    "too_long": "use at most %(max)d characters",
    "title_required": "a title is required",
    "too_many": "at most %(max)d items",
    "quote_text": "a quote needs its text",
    "quote_speaker": "a quote needs the name of the speaker",
    "example_title": "a practice example needs a title",
    "example_text": "a practice example needs its text",
    "source_title": "a source needs a title",
    "year": "a year between %(min)d and %(max)d",
    "url": "a web address starting with http:// or https://",
}
REASONS_UI = {
    "too_long": _l("Use at most %(max)d characters."),
    "title_required": _l("Enter a title."),
    "too_many": _l("Give at most %(max)d items."),
    "quote_text": _l("Enter the text of the quote."),
    "quote_speaker": _l("Enter who said it."),
    "example_title": _l("Give the example a title."),
    "example_text": _l("Describe the example."),
    "source_title": _l("Enter the title of the source."),
    "year": _l("Enter a year between %(min)s and %(max)s."),
    "url": _l("Enter a web address that starts with https://."),
}


@dataclass
class ContentProblem:
    """One problem in lesson content: where (like ('quotes', 0, 'text')), what, and its numbers."""

    path: tuple
    code: str
    params: dict = field(default_factory=dict)

    @property
    def english(self) -> str:
        return REASONS_EN[self.code] % self.params

    def message(self) -> str:
        """The reason in the user's language; a problem inside a list names the item's number."""
        reason = str(REASONS_UI[self.code]) % self.params
        if len(self.path) > 1 and isinstance(self.path[1], int):
            return _("Item %(number)d: %(problem)s", number=self.path[1] + 1, problem=reason)
        return reason


def content_problems(content: dict) -> list[ContentProblem]:
    """Problems in normalised content, in page order."""
    problems: list[ContentProblem] = []

    def add(path, code, **params):
        problems.append(ContentProblem(path, code, params))

    def too_long(path, value, limit_key):
        if len(value) > LIMITS[limit_key]:
            add(path, "too_long", max=LIMITS[limit_key])

    if not content["title"]:
        add(("title",), "title_required")
    too_long(("title",), content["title"], "title")
    too_long(("summary",), content["summary"], "summary")
    too_long(("body",), content["body"], "body")
    for key, limit in MAX_ITEMS.items():
        if len(content[key]) > limit:
            add((key,), "too_many", max=limit)
    for i, objective in enumerate(content["objectives"]):
        too_long(("objectives", i), objective, "objective")
    for i, quote in enumerate(content["quotes"]):
        if not quote["text"]:
            add(("quotes", i, "text"), "quote_text")
        if not quote["speaker"]:
            add(("quotes", i, "speaker"), "quote_speaker")
        for k in QUOTE_FIELDS:
            too_long(("quotes", i, k), quote[k], f"quote.{k}")
    for i, example in enumerate(content["examples"]):
        if not example["title"]:
            add(("examples", i, "title"), "example_title")
        if not example["text"]:
            add(("examples", i, "text"), "example_text")
        for k in EXAMPLE_FIELDS:
            too_long(("examples", i, k), example[k], f"example.{k}")
    for i, source in enumerate(content["sources"]):
        if not source["title"]:
            add(("sources", i, "title"), "source_title")
        if source["year"] is not None and not YEAR_RANGE[0] <= source["year"] <= YEAR_RANGE[1]:
            add(("sources", i, "year"), "year", min=YEAR_RANGE[0], max=YEAR_RANGE[1])
        if source["url"] and not URL_RE.match(source["url"]):
            add(("sources", i, "url"), "url")
        for k in SOURCE_FIELDS:
            if k != "year":
                too_long(("sources", i, k), source[k], f"source.{k}")
    return problems


def content_errors(content: dict) -> list[tuple[tuple, str]]:
    """Problems in normalised content as (path, English reason), for the content files."""
    return [(problem.path, problem.english) for problem in content_problems(content)]


def number_error(number: str, chapter_number: int | None) -> str | None:
    """None when ``number`` is a valid lesson number in that chapter, else "number", "zero" or "chapter"."""
    if not NUMBER_RE.match(number or ""):
        return "zero" if LOOSE_NUMBER_RE.match(number or "") else "number"
    if chapter_number is not None and int(number.split(".")[0]) != chapter_number:
        return "chapter"
    return None


def clean_audiences(values) -> list[str]:
    return [a for a in AUDIENCES if a in set(values or [])]


def valid_evidence(value) -> bool:
    return value in (None, "") or value in EVIDENCE
